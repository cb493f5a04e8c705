// The domain (core::Caucus) on a real temporary store, driven directly by a
// test as LevelDB's db_test drives DBImpl: no sockets, no event loop.
//
// What the server would give the domain is faked here:
// - ManualClock: wall-clock time that moves only when the test says so;
// - ManualScheduler: timers that fire only when the test fires them
//   (Domain::Advance moves the clock and fires what has come due);
// - FakeHasher: cheap, deterministic "hashes" that answer later, on the
//   test's thread (through TempStore::Post), as the hashing pool would;
// - RecordingPeer: a connection that records the lines delivered to it and
//   the BYE it was asked to end with.
//
//   Domain d;
//   d.Create("alice");
//   Conn& a = d.Connect("10.0.0.1");
//   EXPECT_EQ(Describe(d.Login(a, "alice", "wrong")), "AUTH_FAILED 2");
//
// Thread-safety: one thread, the test's.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/caucus.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/outcome.h"
#include "core/password.h"
#include "core/peer.h"
#include "core/session.h"
#include "protocol/codes.h"
#include "store/testing/temp_store.h"

namespace caucus::core::testing {

// The password every helper uses unless told otherwise.
inline constexpr const char* kPassword = "password-123";

// 2030-01-01T00:00:00.000Z: where every test's clock starts.
inline constexpr TimeMs kStartMs = 1'893'456'000'000;

class ManualClock final : public Clock {
 public:
  TimeMs Now() const override { return now; }
  TimeMs now = kStartMs;
};

class ManualScheduler final : public Scheduler {
 public:
  TimerId At(TimeMs when, std::function<void()> fn) override;
  void Cancel(TimerId id) override;

  // Runs, earliest first, every timer due at `now` or before, including
  // timers that those set; returns how many ran.
  int FireDue(TimeMs now);
  // Timers set and neither fired nor cancelled.
  size_t pending() const { return timers_.size(); }
  // When the earliest pending timer is due; nullopt if none is.
  std::optional<TimeMs> next() const;

 private:
  struct Timer {
    TimeMs when;
    std::function<void()> fn;
  };
  TimerId last_id_ = 0;
  std::map<TimerId, Timer> timers_;
};

// "Hashes" a password as "fake$<password>"; answers through `post`, never
// before returning, like the real pool.
class FakeHasher final : public PasswordHasher {
 public:
  explicit FakeHasher(std::function<void(std::function<void()>)> post) : post_(std::move(post)) {}
  static std::string HashOf(const std::string& password) { return "fake$" + password; }

  void Hash(std::string password, std::function<void(std::optional<std::string>)> done) override;
  void Verify(std::string hash, std::string password,
              std::function<void(Verification)> done) override;

  int hashes = 0;              // Hash calls so far
  int verifications = 0;       // Verify calls so far
  bool out_of_memory = false;  // Hash answers nullopt
  bool needs_rehash = false;   // a matching Verify asks for a new hash

 private:
  std::function<void(std::function<void()>)> post_;
};

class RecordingPeer final : public Peer {
 public:
  void Deliver(const protocol::SharedLine& event) override;
  void End(protocol::Bye reason) override { byes.push_back(reason); }

  // The lines delivered since the last Take(), without their LF; clears them.
  std::vector<std::string> Take() { return std::exchange(lines, {}); }

  std::vector<std::string> lines;  // without their LF
  std::vector<protocol::Bye> byes;
};

// One client connection: a session and the peer it delivers to.
struct Conn {
  RecordingPeer peer;
  SessionRef session;
};

// "OK", or the failure's code and parameters ("AUTH_FAILED 2"): what the
// client would read after the tag and the verb.
template <class T>
std::string Describe(const Outcome<T>& o) {
  if (o.ok()) return "OK";
  std::string out(protocol::CodeName(o.failure().code));
  for (const auto& p : o.failure().params) out += " " + p;
  return out;
}

class Domain {
 public:
  // A fresh store; the domain built with `config` (nothing to load).
  explicit Domain(Config config = {});
  ~Domain();
  Domain(const Domain&) = delete;

  Caucus& caucus() { return *caucus_; }
  Accounts& accounts() { return caucus_->accounts(); }
  Messaging& messaging() { return caucus_->messaging(); }
  Board& board() { return caucus_->board(); }
  Polls& polls() { return caucus_->polls(); }
  PeerBroker& peers() { return caucus_->peers(); }
  Directory& directory() { return caucus_->world().directory; }
  store::Store& store() { return temp_.store(); }
  const std::string& dir() const { return temp_.dir(); }
  const Config& config() const { return config_; }
  ManualClock& clock() { return clock_; }
  ManualScheduler& scheduler() { return scheduler_; }
  FakeHasher& hasher() { return hasher_; }

  // Runs every completion (store, key vault, hasher) until none is pending.
  void Pump() { temp_.Pump(); }
  // Moves the clock by `ms` and fires the timers that have come due.
  void Advance(TimeMs ms);

  // Calls `call` with a reply and runs completions until nothing is
  // pending; returns the answer. A call that never answers fails the test
  // (and reads as INTERNAL "no answer").
  template <class T>
  Outcome<T> Run(const std::function<void(Reply<T>)>& call) {
    std::optional<Outcome<T>> out;
    call([&out](Outcome<T> o) {
      EXPECT_FALSE(out.has_value()) << "answered twice";
      out.emplace(std::move(o));
    });
    Pump();
    if (!out) {
      ADD_FAILURE() << "the domain did not answer";
      Failure f = Fail(protocol::Code::kInternal, {"no-answer"});
      return f;
    }
    return std::move(*out);
  }

  // An account made by the operator (Accounts::Create); fails the test if
  // it cannot be made.
  AccountId Create(const std::string& name, const std::string& password = kPassword,
                   bool admin = false);

  // A new connection from `address`, not logged in. The domain owns it until
  // the end of the test.
  Conn& Connect(const std::string& address = "10.0.0.1");
  // REGISTER on `c`.
  Outcome<Accounts::Registered> Register(Conn& c, const std::string& name,
                                         std::optional<std::string> password = kPassword);
  // LOGIN on `c` through Caucus::Login (with the stored messages after it).
  Outcome<Accounts::LoggedIn> Login(Conn& c, const std::string& name,
                                    const std::string& password = kPassword);
  // RESUME on `c` through Caucus::Resume.
  Outcome<std::string> Resume(Conn& c, const std::string& token);
  // A connection from `address` logged in as `name` (made first if it does
  // not exist); fails the test if it cannot log in.
  Conn& LoggedIn(const std::string& name, const std::string& address = "10.0.0.1");
  // An admin account made by the operator, logged in from 10.0.0.100.
  Conn& Admin(const std::string& name = "root");
  // The connection ends (Caucus::EndSession), as the server ends it.
  void End(Conn& c, const std::string& why = "quit", bool revoke = false);

 private:
  store::testing::TempStore temp_;
  ManualClock clock_;
  ManualScheduler scheduler_;
  FakeHasher hasher_;
  const Config config_;
  uint64_t last_session_id_ = 0;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::unique_ptr<Caucus> caucus_;
};

}  // namespace caucus::core::testing
