// Account and Directory: every account, in memory, on the event loop.
//
// The store holds the truth; the directory is loaded at start and kept in
// step by the services (and by the change feed for changes made by the
// command line). Password hashes and tokens are not held here.
//
// Thread-safety: event loop thread only.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/types.h"
#include "store/store.h"

namespace caucus::core {

struct Session;

// A session of an account on another node of the deployment.
struct RemoteSession {
  uint16_t node = 0;     // the node's slot (core/cluster.h)
  uint64_t session = 0;  // its id on that node
  TimeMs login_ms = 0;
  uint16_t p2p_tcp = 0;  // announced peer-to-peer port, 0 = none
};

struct Account {
  AccountId id = 0;
  std::string name;  // as first registered
  std::string key;   // folded name: the unique key
  bool admin = false;
  TimeMs last_login_ms = 0;           // latest LOGIN or RESUME, 0 = never
  std::vector<AccountId> blocked;     // sorted: the accounts this one blocks
  std::vector<Session*> sessions;     // logged-in sessions on this node
  std::vector<RemoteSession> remote;  // and on the deployment's other nodes
  size_t online_slot = 0;             // position in Presence's list while online
  // Stored messages may wait for this account. Never false while some do
  // (set at load and by every store); cleared when a login finds none left,
  // so that a login with nothing waiting skips the store. With several
  // nodes, "stored for" events must reach every node (docs/architecture.md).
  bool maybe_queued = false;
  uint32_t queued_stores = 0;  // stores so far: a clear must not race one

  // Online anywhere in the deployment.
  bool online() const { return !sessions.empty() || !remote.empty(); }
  bool Blocks(AccountId other) const {
    return std::binary_search(blocked.begin(), blocked.end(), other);
  }
};

class Directory {
 public:
  // By name, without regard to case; null if none.
  Account* Find(std::string_view name);
  // By id; null if none.
  Account* Get(AccountId id);
  // Adds the account or refreshes its name and admin flag.
  Account& Upsert(const store::AccountRecord& record);

  // Holds a name while its registration is in flight, so that two
  // registrations of one name cannot both proceed.
  bool Reserve(const std::string& key) { return reserved_.insert(key).second; }
  void Release(const std::string& key) { reserved_.erase(key); }
  bool Taken(const std::string& key) const;

  size_t size() const { return by_key_.size(); }
  template <class Fn>
  void ForEach(Fn&& fn) {
    for (auto& a : by_id_) {
      if (a) fn(*a);
    }
  }

 private:
  std::vector<std::unique_ptr<Account>> by_id_;            // index = id (ids are dense)
  std::unordered_map<std::string_view, Account*> by_key_;  // views into Account::key
  std::unordered_set<std::string> reserved_;
};

}  // namespace caucus::core
