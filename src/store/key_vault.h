// KeyVault: the keys of `revote` polls, held outside the store.
//
// A revote poll must find a voter's earlier ballot, so while it is open a
// link from voter to ballot exists; it is kept encrypted under the poll's
// key, and the key lives apart from the database. Destroying the key at the
// close destroys the link (PROTOCOL.md "Poll administration").
//
// Every call answers through its callback, never before it returns: keys
// live on disk, and the event loop never waits for the disk.
//
// Thread-safety: call from the event loop thread; callbacks run there too
// (through the executor the implementation was given).
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace caucus::store {

class KeyVault {
 public:
  using KeyCallback = std::function<void(std::optional<std::string> key)>;
  using DoneCallback = std::function<void(bool ok)>;

  virtual ~KeyVault() = default;
  // Makes a new 32-byte key for the poll and keeps it durably; the callback
  // gets it once it is durable, or nullopt on failure.
  virtual void Create(const std::string& poll_id, KeyCallback done) = 0;
  // The poll's key, or nullopt if it has none.
  virtual void Get(const std::string& poll_id, KeyCallback done) = 0;
  // Forgets the key for good; true once it is gone from the disk. `done`
  // may be null.
  virtual void Destroy(const std::string& poll_id, DoneCallback done) = 0;
};

}  // namespace caucus::store
