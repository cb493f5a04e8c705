// Passwords: Argon2id hashes through libsodium, and the PasswordHasher that
// runs them away from the event loop.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace caucus::core {

// The Argon2id cost: libsodium's interactive (64 MiB, 2 passes), moderate
// (256 MiB, 3) and sensitive (1 GiB, 4) limits.
enum class HashCost { kInteractive, kModerate, kSensitive };

// Hashes `password` with a fresh salt; nullopt if memory could not be had.
// Slow by design: never call it on the event loop.
std::optional<std::string> HashPassword(const std::string& password, HashCost cost);

struct Verification {
  bool match = false;
  bool needs_rehash = false;  // the hash was made with another cost
};
// Checks `password` against an encoded hash. Slow by design.
Verification VerifyPassword(const std::string& hash, const std::string& password, HashCost cost);

// Runs hashing on worker threads and calls back on the event loop.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual void Hash(std::string password, std::function<void(std::optional<std::string>)> done) = 0;
  virtual void Verify(std::string hash, std::string password,
                      std::function<void(Verification)> done) = 0;
};

}  // namespace caucus::core
