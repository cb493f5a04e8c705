// AccountPool: the Caucus accounts the benchmark logs in as. Account i is
// named <prefix><i>; all share one password. Password hashing is slow by
// design (Argon2id, tens of milliseconds), so the session tokens learned
// from LOGIN are kept in a file and later runs RESUME with them.
//
// File format: one "name token" line per account. Thread-safety: none;
// read it from many threads only while nobody calls Learn().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bench/protocol_adapter.h"

namespace caucus::bench {

class AccountPool {
 public:
  AccountPool(std::string prefix, std::string password);

  std::string Name(int64_t index) const;

  // The identity of account `index`, with its token when one is known.
  Identity Get(int64_t index) const;
  // The same by name, for accounts outside the numbered range.
  Identity GetByName(std::string_view name) const;

  // Remembers the latest token of `name`; an empty token is ignored.
  void Learn(const std::string& name, const std::string& token);

  size_t tokens() const { return tokens_.size(); }

  // Reads tokens from `path`; a missing file is an empty pool. Returns
  // false, with the reason, when the file exists but cannot be read.
  bool Load(const std::string& path, std::string* why);
  // Writes every token to `path` (through a temporary file and a rename).
  bool Save(const std::string& path, std::string* why) const;

 private:
  std::string prefix_;
  std::string password_;
  std::unordered_map<std::string, std::string> tokens_;  // by name
};

}  // namespace caucus::bench
