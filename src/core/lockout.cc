#include "core/lockout.h"

namespace caucus::core {

void Lockout::Load(const std::vector<store::LockoutRecord>& records) {
  for (const auto& r : records) {
    // Records saved under the other scope are kept: they expire on their own.
    entries_[{r.account, r.address}] = Entry{r.failures, r.locked_until_ms, r.last_failure_ms};
  }
}

TimeMs Lockout::LockedFor(AccountId account, const std::string& address, TimeMs now) const {
  auto it = entries_.find(KeyFor(account, address));
  if (it == entries_.end() || it->second.locked_until <= now) return 0;
  return it->second.locked_until - now;
}

void Lockout::Fail(AccountId account, const std::string& address, TimeMs now,
                   std::function<void(Verdict, bool)> done) {
  const Key key = KeyFor(account, address);
  Entry& e = entries_[key];
  if (e.locked_until != 0 && e.locked_until <= now) e = Entry{};  // an expired lock: start again
  e.failures += 1;
  e.last_failure = now;
  Verdict v;
  if (e.failures >= config_.max_attempts) {
    e.locked_until = now + config_.block_ms;
    v.locked = true;
    v.seconds_left = SecondsLeft(config_.block_ms);
  } else {
    v.attempts_left = config_.max_attempts - e.failures;
  }
  Save(key, e, [v, done = std::move(done)](bool saved) {
    if (done) done(v, saved);
  });
}

void Lockout::Succeed(AccountId account, const std::string& address) {
  const Key key = KeyFor(account, address);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  entries_.erase(it);
  Save(key, Entry{}, nullptr);
}

void Lockout::Purge(TimeMs now, TimeMs age_ms) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    if (e.locked_until <= now && e.last_failure + age_ms < now) {
      Save(it->first, Entry{}, nullptr);
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

void Lockout::Apply(const store::LockoutRecord& r) {
  const Key key{r.account, r.address};
  if (r.failures == 0 && r.locked_until_ms == 0) {
    entries_.erase(key);
  } else {
    entries_[key] = Entry{r.failures, r.locked_until_ms, r.last_failure_ms};
  }
}

void Lockout::Save(const Key& key, const Entry& e, std::function<void(bool)> saved) {
  const store::LockoutRecord record{key.first, key.second, e.failures, e.locked_until,
                                    e.last_failure};
  if (on_change) on_change(record);
  store_.SaveLockout(record, [saved = std::move(saved)](store::Result<store::Done> r) {
    if (saved) saved(r.ok());
  });
}

}  // namespace caucus::core
