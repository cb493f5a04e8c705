// KeyVault: the keys of `revote` polls, held outside the store.
//
// A revote poll must find a voter's earlier ballot, so while it is open a
// link from voter to ballot exists; it is kept encrypted under the poll's
// key, and the key lives apart from the database. Destroying the key at the
// close destroys the link (PROTOCOL.md "Poll administration").
//
// Thread-safety: event loop thread only.
#pragma once

#include <optional>
#include <string>

namespace caucus::core {

class KeyVault {
 public:
  virtual ~KeyVault() = default;
  // Makes and keeps a new 32-byte key for the poll; nullopt on failure.
  virtual std::optional<std::string> Create(const std::string& poll_id) = 0;
  // The poll's key, if it has one.
  virtual std::optional<std::string> Get(const std::string& poll_id) = 0;
  // Forgets the key for good.
  virtual void Destroy(const std::string& poll_id) = 0;
};

}  // namespace caucus::core
