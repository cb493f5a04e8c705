// Random secrets and their hashes (libsodium). Every function here is
// thread-safe; InitSecrets() must have run once before any of them.
#pragma once

#include <string>
#include <string_view>

namespace caucus::core {

// Initialises libsodium; returns false if it cannot (no entropy source).
bool InitSecrets();

// A session token: 256 random bits, base64url without padding (43 chars).
std::string NewToken();
// The token as stored: a keyless BLAKE2b-256 hash (a token has full entropy,
// so a fast hash is enough). 32 raw bytes.
std::string HashToken(std::string_view token);

// A ballot receipt or p2p ticket: 160 random bits, lower-case base32 (32 chars).
std::string NewReceipt();
// An invitation id: 80 random bits, lower-case base32 (16 chars).
std::string NewShortId();
// A generated password: 16 characters from an alphabet without look-alikes
// (about 90 bits).
std::string NewPassword();

// Random bytes (raw).
std::string RandomBytes(size_t n);

// Overwrites a string holding a secret before it is freed.
void Wipe(std::string& secret);

}  // namespace caucus::core
