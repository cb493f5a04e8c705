#include "core/testing/domain_fixture.h"

#include <algorithm>

#include "core/secrets.h"

namespace caucus::core::testing {

Scheduler::TimerId ManualScheduler::At(TimeMs when, std::function<void()> fn) {
  timers_.emplace(++last_id_, Timer{when, std::move(fn)});
  return last_id_;
}

void ManualScheduler::Cancel(TimerId id) { timers_.erase(id); }

std::optional<TimeMs> ManualScheduler::next() const {
  std::optional<TimeMs> out;
  for (const auto& [id, t] : timers_) {
    if (!out || t.when < *out) out = t.when;
  }
  return out;
}

int ManualScheduler::FireDue(TimeMs now) {
  int fired = 0;
  while (true) {
    // The earliest due timer; among equals, the one set first.
    auto due = timers_.end();
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->second.when <= now && (due == timers_.end() || it->second.when < due->second.when)) {
        due = it;
      }
    }
    if (due == timers_.end()) return fired;
    std::function<void()> fn = std::move(due->second.fn);
    timers_.erase(due);
    fn();
    ++fired;
  }
}

void FakeHasher::Hash(std::string password, std::function<void(std::optional<std::string>)> done) {
  ++hashes;
  std::optional<std::string> hash;
  if (!out_of_memory) hash = HashOf(password);
  post_([hash = std::move(hash), done = std::move(done)] { done(hash); });
}

void FakeHasher::Verify(std::string hash, std::string password,
                        std::function<void(Verification)> done) {
  ++verifications;
  Verification v;
  v.match = hash == HashOf(password);
  v.needs_rehash = v.match && needs_rehash;
  post_([v, done = std::move(done)] { done(v); });
}

void RecordingPeer::Deliver(const protocol::SharedLine& event) {
  std::string_view rest = event.view();
  while (!rest.empty()) {
    const size_t lf = rest.find('\n');
    lines.emplace_back(rest.substr(0, lf));
    rest.remove_prefix(lf == std::string_view::npos ? rest.size() : lf + 1);
  }
}

Domain::Domain(Config config)
    : hasher_([this](std::function<void()> fn) { temp_.Post(std::move(fn)); }),
      config_(std::move(config)) {
  EXPECT_TRUE(InitSecrets());
  caucus_ =
      std::make_unique<Caucus>(config_, temp_.store(), hasher_, clock_, scheduler_, temp_.keys());
}

Domain::~Domain() {
  // What is in flight finishes while the domain and the sessions still exist.
  Pump();
  caucus_.reset();
}

void Domain::Advance(TimeMs ms) {
  clock_.now += ms;
  scheduler_.FireDue(clock_.now);
  Pump();
}

AccountId Domain::Create(const std::string& name, const std::string& password, bool admin) {
  auto made = Run<AccountId>(
      [&](Reply<AccountId> done) { accounts().Create(name, password, admin, std::move(done)); });
  EXPECT_TRUE(made.ok()) << "creating " << name << ": " << Describe(made);
  return made.ok() ? made.value() : 0;
}

Conn& Domain::Connect(const std::string& address) {
  auto c = std::make_unique<Conn>();
  c->session = std::make_shared<Session>();
  c->session->id = ++last_session_id_;
  c->session->address = address;
  c->session->peer = &c->peer;
  conns_.push_back(std::move(c));
  return *conns_.back();
}

Outcome<Accounts::Registered> Domain::Register(Conn& c, const std::string& name,
                                               std::optional<std::string> password) {
  return Run<Accounts::Registered>([&](Reply<Accounts::Registered> done) {
    accounts().Register(c.session, name, std::move(password), std::move(done));
  });
}

Outcome<Accounts::LoggedIn> Domain::Login(Conn& c, const std::string& name,
                                          const std::string& password) {
  bool settled = false;
  auto o = Run<Accounts::LoggedIn>([&](Reply<Accounts::LoggedIn> done) {
    caucus().Login(c.session, name, password, std::move(done), [&settled] { settled = true; });
  });
  // After an OK the session takes its next command once the stored
  // messages are handed over; after a failure at once.
  EXPECT_TRUE(!o.ok() || settled) << "the session was never released";
  return o;
}

Outcome<std::string> Domain::Resume(Conn& c, const std::string& token) {
  bool settled = false;
  auto o = Run<std::string>([&](Reply<std::string> done) {
    caucus().Resume(c.session, token, std::move(done), [&settled] { settled = true; });
  });
  EXPECT_TRUE(!o.ok() || settled) << "the session was never released";
  return o;
}

Conn& Domain::LoggedIn(const std::string& name, const std::string& address) {
  if (directory().Find(name) == nullptr) Create(name);
  Conn& c = Connect(address);
  auto o = Login(c, name);
  EXPECT_TRUE(o.ok()) << "logging in " << name << ": " << Describe(o);
  return c;
}

Conn& Domain::Admin(const std::string& name) {
  Create(name, kPassword, /*admin=*/true);
  return LoggedIn(name, "10.0.0.100");
}

void Domain::End(Conn& c, const std::string& why, bool revoke) {
  caucus().EndSession(*c.session, why, revoke);
  Pump();
}

}  // namespace caucus::core::testing
