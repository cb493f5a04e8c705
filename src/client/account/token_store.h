// TokenStore: saved sessions, one per server, so that the next start can
// RESUME instead of asking for the password again.
//
// One file (mode 0600, in a 0700 directory), one line per server:
// "<host:port> <name> <token>". Tokens are secrets: only this file holds them.
#pragma once

#include <optional>
#include <string>

namespace caucus::client {

class TokenStore {
 public:
  explicit TokenStore(std::string path) : path_(std::move(path)) {}

  struct Saved {
    std::string name;
    std::string token;
  };

  // The session saved for `key` (Endpoint::Key()), if any.
  std::optional<Saved> Load(const std::string& key) const;

  // Saves or replaces the session for `key`.
  bool Save(const std::string& key, const Saved& saved, std::string* error);

  // Removes the session for `key`; true also when there was none.
  bool Forget(const std::string& key, std::string* error);

 private:
  std::string path_;
};

}  // namespace caucus::client
