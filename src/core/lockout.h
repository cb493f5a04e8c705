// Lockout: counts consecutive wrong passwords and locks (PROTOCOL.md
// "Accounts and sessions").
//
// With the address scope (default) failures count, and the lock applies,
// per account and client address: a stranger elsewhere cannot lock a user
// out. With the account scope they count and apply from every address.
// After `max_attempts` failures the key is locked for `block_ms`; the lock's
// expiry starts the count again. A correct password resets the count of its
// own key. Counters are saved to the store so that a lock in progress
// survives a restart.
//
// Thread-safety: event loop thread only.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"
#include "store/store.h"

namespace caucus::core {

struct LockoutConfig {
  int max_attempts = 3;
  TimeMs block_ms = 10'000;
  bool per_address = true;  // the address scope
};

class Lockout {
 public:
  Lockout(LockoutConfig config, store::AccountStore& store) : config_(config), store_(store) {}

  void Load(const std::vector<store::LockoutRecord>& records);

  // Milliseconds the key stays locked; 0 when it is not locked.
  TimeMs LockedFor(AccountId account, const std::string& address, TimeMs now) const;

  struct Verdict {
    bool locked = false;
    int attempts_left = 0;
    int64_t seconds_left = 0;  // when locked: rounded up, at least 1
  };
  // Counts one wrong password; `done` gets the verdict once the count is
  // durable (saved = false if the store failed).
  void Fail(AccountId account, const std::string& address, TimeMs now,
            std::function<void(Verdict, bool saved)> done);
  // A correct password: the key's count starts again.
  void Succeed(AccountId account, const std::string& address);

  // Several nodes: each count this node saves goes to `on_change` too, and
  // Apply() takes the counts other nodes saved, so failures add up across
  // the deployment.
  std::function<void(const store::LockoutRecord&)> on_change;
  void Apply(const store::LockoutRecord& record);

  // Forgets counters whose last failure is older than `age_ms` and that hold no lock.
  void Purge(TimeMs now, TimeMs age_ms);

  static int64_t SecondsLeft(TimeMs ms) {
    return ms <= 0 ? 0 : std::max<TimeMs>(1, (ms + 999) / 1000);
  }

 private:
  using Key = std::pair<AccountId, std::string>;
  struct Entry {
    int failures = 0;
    TimeMs locked_until = 0;
    TimeMs last_failure = 0;
  };
  Key KeyFor(AccountId account, const std::string& address) const {
    return {account, config_.per_address ? address : std::string()};
  }
  void Save(const Key& key, const Entry& e, std::function<void(bool)> saved);

  LockoutConfig config_;
  store::AccountStore& store_;
  std::map<Key, Entry> entries_;
};

}  // namespace caucus::core
