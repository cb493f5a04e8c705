// Accounts on a real store: REGISTER, the operator's Create, LOGIN's order
// of checks, the lockout as LOGIN counts it, the multi-login policies,
// RESUME, PASSWORD and the password checks of other verbs.
#include "core/accounts.h"

#include <gtest/gtest.h>

#include "core/testing/domain_fixture.h"

namespace caucus::core {
namespace {

using protocol::Bye;
using testing::Conn;
using testing::Describe;
using testing::Domain;
using testing::kPassword;
using testing::kStartMs;

Config WithLockout(int attempts, TimeMs block_ms, bool per_address = true) {
  Config c;
  c.lockout = {attempts, block_ms, per_address};
  return c;
}

Config WithMultiLogin(MultiLogin policy) {
  Config c;
  c.multi_login = policy;
  return c;
}

Outcome<Ok> ChangePassword(Domain& d, Conn& c, const std::string& old_password,
                           const std::string& new_password) {
  return d.Run<Ok>([&](Reply<Ok> done) {
    d.accounts().ChangePassword(c.session, old_password, new_password, std::move(done));
  });
}

Outcome<Ok> Reauthenticate(Domain& d, Conn& c, const std::string& password) {
  return d.Run<Ok>(
      [&](Reply<Ok> done) { d.accounts().Reauthenticate(c.session, password, std::move(done)); });
}

Outcome<Ok> Logout(Domain& d, Conn& c) {
  return d.Run<Ok>([&](Reply<Ok> done) { d.accounts().Logout(c.session, std::move(done)); });
}

// ------------------------------------------------------------------ REGISTER

TEST(AccountsTest, RegisterMakesAnAccountThatLogsIn) {
  Domain d;
  Conn& c = d.Connect();
  auto r = d.Register(c, "Alice");
  ASSERT_EQ(Describe(r), "OK");
  EXPECT_EQ(r->name, "Alice");
  EXPECT_TRUE(r->generated_password.empty());
  EXPECT_FALSE(c.session->logged_in()) << "REGISTER does not log in";

  auto in = d.Login(d.Connect(), "alice");  // names are found without regard to case
  ASSERT_EQ(Describe(in), "OK");
  EXPECT_EQ(in->name, "Alice") << "the name as registered";
  EXPECT_EQ(in->token.size(), 43u);
  EXPECT_TRUE(d.directory().Find("ALICE")->online());
}

TEST(AccountsTest, RegisterErrors) {
  Config c;
  c.min_password = 8;
  Domain d(c);
  d.Create("taken");
  Conn& in = d.LoggedIn("member");
  struct Case {
    const char* name;
    std::optional<std::string> password;
    Conn* conn;
    const char* code;
  };
  Conn& fresh = d.Connect();
  const Case cases[] = {
      {"someone", kPassword, &in, "ALREADY_LOGGED_IN"},
      {"bad name", kPassword, &fresh, "BAD_NAME"},
      {"-dash-first", kPassword, &fresh, "BAD_NAME"},
      {"someone", std::string("1234567"), &fresh, "WEAK_PASSWORD"},
      {"TAKEN", kPassword, &fresh, "NAME_TAKEN"},
      {"someone", std::nullopt, &fresh, "BAD_ARGUMENTS"},
  };
  for (const Case& t : cases) {
    EXPECT_EQ(Describe(d.Register(*t.conn, t.name, t.password)), t.code) << t.name;
  }
  EXPECT_EQ(Describe(d.Register(fresh, "someone", "12345678")), "OK") << "8 bytes suffice";
}

TEST(AccountsTest, ClosedRegistrationRefusesButTheOperatorStillCreates) {
  Config c;
  c.registration = Registration::kClosed;
  Domain d(c);
  EXPECT_EQ(Describe(d.Register(d.Connect(), "alice")), "REGISTRATION_CLOSED");
  const AccountId id = d.Create("alice");
  EXPECT_NE(id, 0);
  EXPECT_EQ(Describe(d.Login(d.Connect(), "alice")), "OK");
}

TEST(AccountsTest, EmailRegistrationChecksTheDomain) {
  Config c;
  c.registration = Registration::kEmail;
  c.email_domain = R"(example\.org)";
  Domain d(c);
  Conn& conn = d.Connect();
  EXPECT_EQ(Describe(d.Register(conn, "bob@example.org")), "OK");
  EXPECT_EQ(Describe(d.Register(conn, "eve@EXAMPLE.ORG")), "OK") << "without regard to case";
  EXPECT_EQ(Describe(d.Register(conn, "eve@example.org.evil")), "DOMAIN_NOT_ALLOWED");
  EXPECT_EQ(Describe(d.Register(conn, "eve@other.org")), "DOMAIN_NOT_ALLOWED");
  EXPECT_EQ(Describe(d.Register(conn, "eve")), "DOMAIN_NOT_ALLOWED");
  EXPECT_EQ(Describe(d.Register(conn, "eve@")), "DOMAIN_NOT_ALLOWED");
}

TEST(AccountsTest, GeneratedPasswords) {
  Config c;
  c.generate_passwords = true;
  Domain d(c);
  Conn& conn = d.Connect();
  EXPECT_EQ(Describe(d.Register(conn, "alice", "chosen-password")), "BAD_ARGUMENTS");
  auto r = d.Register(conn, "alice", std::nullopt);
  ASSERT_EQ(Describe(r), "OK");
  ASSERT_EQ(r->generated_password.size(), 16u);
  EXPECT_EQ(Describe(d.Login(conn, "alice", r->generated_password)), "OK");
}

TEST(AccountsTest, RegistrationsPerAddressPerHour) {
  Config c;
  c.registrations_per_hour = 2;
  Domain d(c);
  Conn& here = d.Connect("10.0.0.1");
  EXPECT_EQ(Describe(d.Register(here, "u1")), "OK");
  EXPECT_EQ(Describe(d.Register(here, "u2")), "OK");
  EXPECT_EQ(Describe(d.Register(here, "u3")), "RATE_LIMITED");
  EXPECT_EQ(Describe(d.Register(d.Connect("10.0.0.2"), "u3")), "OK") << "per address";
  d.Advance(3'600'000);
  EXPECT_EQ(Describe(d.Register(here, "u4")), "OK") << "a new hour";
}

TEST(AccountsTest, OneNameRegisteredTwiceAtOnceMakesOneAccount) {
  Domain d;
  std::vector<std::string> answers;
  for (int i = 0; i < 2; ++i) {
    d.accounts().Register(d.Connect().session, "alice", std::string(kPassword),
                          [&](Outcome<Accounts::Registered> o) { answers.push_back(Describe(o)); });
  }
  d.Pump();
  EXPECT_EQ(answers, (std::vector<std::string>{"NAME_TAKEN", "OK"}));
  EXPECT_EQ(d.directory().size(), 1u);
}

TEST(AccountsTest, HashingFailureIsInternalAndReleasesTheName) {
  Domain d;
  Conn& c = d.Connect();
  d.hasher().out_of_memory = true;
  EXPECT_EQ(Describe(d.Register(c, "alice")), "INTERNAL");
  EXPECT_EQ(d.directory().Find("alice"), nullptr);
  d.hasher().out_of_memory = false;
  EXPECT_EQ(Describe(d.Register(c, "alice")), "OK");
}

// ------------------------------------------------------------------ Create

TEST(AccountsTest, CreateIsTheOperatorsPath) {
  Config c;
  c.registrations_per_hour = 1;
  Domain d(c);
  auto create = [&](const std::string& name, const std::string& password, bool admin) {
    return d.Run<AccountId>([&](Reply<AccountId> done) {
      d.accounts().Create(name, password, admin, std::move(done));
    });
  };
  auto root = create("root", kPassword, true);
  ASSERT_EQ(Describe(root), "OK");
  EXPECT_TRUE(d.directory().Get(root.value())->admin);
  auto plain = create("plain", kPassword, false);
  ASSERT_EQ(Describe(plain), "OK");
  EXPECT_FALSE(d.directory().Get(plain.value())->admin);
  EXPECT_NE(root.value(), plain.value());
  EXPECT_EQ(Describe(create("third", kPassword, false)), "OK") << "no per-address limit";

  EXPECT_EQ(Describe(create("ROOT", kPassword, false)), "NAME_TAKEN");
  EXPECT_EQ(Describe(create("no spaces", kPassword, false)), "BAD_NAME");
  EXPECT_EQ(Describe(create("short", "1234567", false)), "WEAK_PASSWORD");
  EXPECT_EQ(d.directory().size(), 3u);
}

// ------------------------------------------------------------------ LOGIN

TEST(AccountsTest, LoginChecksInOrder) {
  Config c = WithLockout(2, 60'000);
  c.failed_logins_per_minute = 3;
  Domain d(c);
  d.Create("alice");
  d.Create("bob");
  d.Create("carol");
  Conn& in = d.LoggedIn("dave", "10.0.0.9");
  Conn& c9 = d.Connect("10.0.0.9");

  // A logged-in connection is refused first, whatever it names.
  EXPECT_EQ(Describe(d.Login(in, "nobody", "x")), "ALREADY_LOGGED_IN");
  EXPECT_EQ(Describe(d.Login(c9, "nobody", "x")), "NO_SUCH_USER");
  EXPECT_EQ(d.hasher().verifications, 1) << "only dave's login was checked";

  EXPECT_EQ(Describe(d.Login(c9, "alice", "wrong")), "AUTH_FAILED 1");
  EXPECT_EQ(Describe(d.Login(c9, "alice", "wrong")), "LOCKED 60");
  EXPECT_EQ(Describe(d.Login(c9, "bob", "wrong")), "AUTH_FAILED 1");
  // Three wrong passwords from this address this minute: the address is
  // limited, but a locked account says LOCKED first.
  const int checked = d.hasher().verifications;
  EXPECT_EQ(Describe(d.Login(c9, "alice", kPassword)), "LOCKED 60");
  EXPECT_EQ(Describe(d.Login(c9, "carol", kPassword)), "RATE_LIMITED");
  EXPECT_EQ(Describe(d.Login(c9, "nobody", kPassword)), "NO_SUCH_USER");
  EXPECT_EQ(d.hasher().verifications, checked) << "no hashing for refused logins";

  // Another address is neither locked nor limited.
  EXPECT_EQ(Describe(d.Login(d.Connect("10.0.0.8"), "carol", kPassword)), "OK");
  d.Advance(60'000);
  EXPECT_EQ(Describe(d.Login(c9, "bob", kPassword)), "OK") << "a new minute";
}

TEST(AccountsTest, LockoutCountsDownLocksAndExpires) {
  Domain d(WithLockout(3, 10'000));
  d.Create("alice");
  Conn& c = d.Connect();
  EXPECT_EQ(Describe(d.Login(c, "alice", "wrong")), "AUTH_FAILED 2");
  EXPECT_EQ(Describe(d.Login(c, "alice", "wrong")), "AUTH_FAILED 1");
  auto locked = d.Login(c, "alice", "wrong");
  ASSERT_EQ(Describe(locked), "LOCKED 10");
  EXPECT_EQ(locked.failure().bye, Bye::kLocked) << "the session ends with BYE LOCKED";

  // While locked even the right password is refused, with the time left
  // rounded up, and no hash is checked.
  const int checked = d.hasher().verifications;
  d.Advance(2'500);
  auto still = d.Login(d.Connect(), "alice", kPassword);
  EXPECT_EQ(Describe(still), "LOCKED 8");
  EXPECT_EQ(still.failure().bye, Bye::kLocked);
  d.Advance(7'499);
  EXPECT_EQ(Describe(d.Login(d.Connect(), "alice", kPassword)), "LOCKED 1");
  EXPECT_EQ(d.hasher().verifications, checked);

  d.Advance(1);
  EXPECT_EQ(Describe(d.Login(d.Connect(), "alice", "wrong")), "AUTH_FAILED 2")
      << "the lock has passed: the count starts again";
  EXPECT_EQ(Describe(d.Login(d.Connect(), "alice", kPassword)), "OK");
}

TEST(AccountsTest, LockoutIsPerAccountAndAddressByDefault) {
  Domain d(WithLockout(2, 10'000));
  d.Create("alice");
  d.Create("bob");
  Conn& stranger = d.Connect("10.6.6.6");
  EXPECT_EQ(Describe(d.Login(stranger, "alice", "wrong")), "AUTH_FAILED 1");
  EXPECT_EQ(Describe(d.Login(stranger, "alice", "wrong")), "LOCKED 10");
  EXPECT_EQ(Describe(d.Login(stranger, "bob", "wrong")), "AUTH_FAILED 1") << "per account";
  EXPECT_EQ(Describe(d.Login(d.Connect("10.0.0.1"), "alice", kPassword)), "OK")
      << "a stranger cannot lock the owner out";
}

TEST(AccountsTest, LockoutOfTheAccountScopeCountsEveryAddress) {
  Domain d(WithLockout(2, 10'000, /*per_address=*/false));
  d.Create("alice");
  EXPECT_EQ(Describe(d.Login(d.Connect("10.0.0.1"), "alice", "wrong")), "AUTH_FAILED 1");
  EXPECT_EQ(Describe(d.Login(d.Connect("10.0.0.2"), "alice", "wrong")), "LOCKED 10");
  EXPECT_EQ(Describe(d.Login(d.Connect("10.0.0.3"), "alice", kPassword)), "LOCKED 10");
}

TEST(AccountsTest, RightPasswordResetsOnlyItsOwnCount) {
  Domain d(WithLockout(3, 10'000));
  d.Create("alice");
  d.Create("bob");
  Conn& a = d.Connect("10.0.0.1");
  Conn& b = d.Connect("10.0.0.2");
  EXPECT_EQ(Describe(d.Login(a, "alice", "wrong")), "AUTH_FAILED 2");
  EXPECT_EQ(Describe(d.Login(a, "alice", "wrong")), "AUTH_FAILED 1");
  EXPECT_EQ(Describe(d.Login(b, "alice", "wrong")), "AUTH_FAILED 2");
  EXPECT_EQ(Describe(d.Login(a, "bob", "wrong")), "AUTH_FAILED 2");
  ASSERT_EQ(Describe(d.Login(a, "alice", kPassword)), "OK");
  d.End(a);

  EXPECT_EQ(Describe(d.Login(d.Connect("10.0.0.1"), "alice", "wrong")), "AUTH_FAILED 2")
      << "alice from 10.0.0.1 starts again";
  EXPECT_EQ(Describe(d.Login(b, "alice", "wrong")), "AUTH_FAILED 1") << "10.0.0.2 keeps its count";
  EXPECT_EQ(Describe(d.Login(d.Connect("10.0.0.1"), "bob", "wrong")), "AUTH_FAILED 1")
      << "bob keeps his count";
}

TEST(AccountsTest, WrongPasswordToAnOnlineAccountFailsAndCountsUnderReject) {
  Domain d(WithLockout(3, 10'000));
  Conn& owner = d.LoggedIn("alice", "10.0.0.1");
  Conn& other = d.Connect("10.0.0.2");
  EXPECT_EQ(Describe(d.Login(other, "alice", "wrong")), "AUTH_FAILED 2")
      << "not ALREADY_ONLINE: that would tell a guesser who is online";
  EXPECT_EQ(Describe(d.Login(other, "alice", "wrong")), "AUTH_FAILED 1");
  // Only the right password learns that the account is online.
  EXPECT_EQ(Describe(d.Login(other, "alice", kPassword)), "ALREADY_ONLINE");
  EXPECT_FALSE(other.session->logged_in());
  EXPECT_EQ(d.directory().Find("alice")->sessions.size(), 1u);
  EXPECT_TRUE(owner.peer.byes.empty());

  EXPECT_EQ(Describe(d.Login(other, "alice", "wrong")), "AUTH_FAILED 2")
      << "the right password reset the count";
  EXPECT_EQ(Describe(d.Login(other, "alice", "wrong")), "AUTH_FAILED 1");
  EXPECT_EQ(Describe(d.Login(other, "alice", "wrong")), "LOCKED 10");
  EXPECT_EQ(Describe(d.Login(other, "alice", kPassword)), "LOCKED 10");

  d.End(owner);
  EXPECT_EQ(Describe(d.Login(d.Connect("10.0.0.1"), "alice", kPassword)), "OK");
}

TEST(AccountsTest, ReplacePolicyEndsTheOlderSession) {
  Domain d(WithMultiLogin(MultiLogin::kReplace));
  Conn& watcher = d.LoggedIn("bob");
  Conn& first = d.LoggedIn("alice", "10.0.0.1");
  ASSERT_EQ(watcher.peer.Take().size(), 1u) << "alice online";

  Conn& second = d.Connect("10.0.0.2");
  ASSERT_EQ(Describe(d.Login(second, "alice")), "OK");
  EXPECT_EQ(first.peer.byes, std::vector<Bye>{Bye::kReplaced});
  EXPECT_TRUE(second.peer.byes.empty());
  // The server then ends the older connection; alice never looked offline.
  d.End(first, "replaced", /*revoke=*/true);
  EXPECT_TRUE(second.session->logged_in());
  EXPECT_EQ(d.directory().Find("alice")->sessions.size(), 1u);
  EXPECT_TRUE(watcher.peer.lines.empty()) << watcher.peer.lines[0];
}

TEST(AccountsTest, AllowPolicyKeepsEverySession) {
  Domain d(WithMultiLogin(MultiLogin::kAllow));
  Conn& watcher = d.LoggedIn("bob");
  Conn& first = d.LoggedIn("alice", "10.0.0.1");
  Conn& second = d.LoggedIn("alice", "10.0.0.2");
  EXPECT_TRUE(first.peer.byes.empty());
  EXPECT_EQ(d.directory().Find("alice")->sessions.size(), 2u);
  EXPECT_EQ(watcher.peer.Take().size(), 1u) << "one PRESENCE per account";
  d.End(first);
  EXPECT_TRUE(watcher.peer.Take().empty());
  d.End(second);
  ASSERT_EQ(watcher.peer.lines.size(), 1u);
  EXPECT_EQ(watcher.peer.lines[0].rfind("PRESENCE alice offline ", 0), 0u) << watcher.peer.lines[0];
}

TEST(AccountsTest, RehashesAPasswordMadeWithAnotherCost) {
  Domain d;
  d.Create("alice");
  const int before = d.hasher().hashes;
  d.hasher().needs_rehash = true;
  Conn& c = d.Connect();
  ASSERT_EQ(Describe(d.Login(c, "alice")), "OK");
  EXPECT_EQ(d.hasher().hashes, before + 1);
  d.End(c);
  d.hasher().needs_rehash = false;
  EXPECT_EQ(Describe(d.Login(d.Connect(), "alice")), "OK") << "the new hash holds";
  EXPECT_EQ(d.hasher().hashes, before + 1);
}

TEST(AccountsTest, LoginOfASessionThatEndsMeanwhileIsNotAnswered) {
  Domain d;
  d.Create("alice");
  Conn& c = d.Connect();
  bool answered = false;
  d.caucus().Login(
      c.session, "alice", kPassword, [&](Outcome<Accounts::LoggedIn>) { answered = true; }, [] {});
  d.End(c);
  EXPECT_FALSE(answered);
  EXPECT_FALSE(c.session->logged_in());
  EXPECT_FALSE(d.directory().Find("alice")->online());
}

// A name not known here may be one another process (a node, the command
// line) made a moment ago: LOGIN reads the change feed before NO_SUCH_USER.
TEST(AccountsTest, AnAccountMadeElsewhereIsLearnedFromTheChangeFeed) {
  Domain d;
  store::Result<AccountId> made;
  d.store().CreateAccount({"carol", testing::FakeHasher::HashOf(kPassword), false, kStartMs},
                          [&](auto r) { made = std::move(r); });
  d.Pump();
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(d.directory().Find("carol"), nullptr) << "not in the caches yet";
  EXPECT_EQ(Describe(d.Login(d.Connect(), "carol")), "OK");
  EXPECT_EQ(Describe(d.Login(d.Connect(), "nobody")), "NO_SUCH_USER");
}

// ------------------------------------------------------------------ RESUME and LOGOUT

TEST(AccountsTest, ResumeWithTheTokenOfAnEndedSession) {
  Domain d;
  d.Create("alice");
  Conn& first = d.Connect();
  auto in = d.Login(first, "alice");
  ASSERT_EQ(Describe(in), "OK");
  EXPECT_EQ(Describe(d.Resume(first, in->token)), "ALREADY_LOGGED_IN");
  EXPECT_EQ(Describe(d.Resume(d.Connect(), in->token)), "ALREADY_ONLINE");

  d.End(first, "dropped");
  Conn& again = d.Connect();
  auto resumed = d.Resume(again, in->token);
  ASSERT_EQ(Describe(resumed), "OK");
  EXPECT_EQ(resumed.value(), "alice");
  EXPECT_TRUE(again.session->logged_in());
  EXPECT_EQ(Describe(d.Resume(d.Connect(), "not-a-token")), "BAD_TOKEN");
}

TEST(AccountsTest, TokensDieWithLogoutRevocationAndTime) {
  Config c;
  c.token_lifetime_s = 3600;
  Domain d(c);
  d.Create("alice");

  Conn& a = d.Connect();
  const std::string logged_out = d.Login(a, "alice")->token;
  EXPECT_EQ(Describe(Logout(d, a)), "OK");
  d.End(a, "logout");
  EXPECT_EQ(Describe(d.Resume(d.Connect(), logged_out)), "BAD_TOKEN");

  Conn& b = d.Connect();
  const std::string revoked = d.Login(b, "alice")->token;
  d.End(b, "idle-timeout", /*revoke=*/true);
  EXPECT_EQ(Describe(d.Resume(d.Connect(), revoked)), "BAD_TOKEN");

  Conn& e = d.Connect();
  const std::string expiring = d.Login(e, "alice")->token;
  d.End(e);
  d.Advance(3'600'000);
  EXPECT_EQ(Describe(d.Resume(d.Connect(), expiring)), "BAD_TOKEN");
}

// ------------------------------------------------------------------ PASSWORD

TEST(AccountsTest, ChangePasswordChecksTheOldOneAndKillsTokens) {
  Domain d(WithLockout(3, 10'000));
  d.Create("alice");
  Conn& c = d.Connect();
  const std::string token = d.Login(c, "alice")->token;

  const int checked = d.hasher().verifications;
  EXPECT_EQ(Describe(ChangePassword(d, c, kPassword, "short")), "WEAK_PASSWORD");
  EXPECT_EQ(d.hasher().verifications, checked) << "refused before the old one is checked";
  EXPECT_EQ(Describe(ChangePassword(d, c, "wrong", "new-password-1")), "AUTH_FAILED 2");
  ASSERT_EQ(Describe(ChangePassword(d, c, kPassword, "new-password-1")), "OK");
  EXPECT_TRUE(c.session->token_hash.empty());
  d.End(c);

  EXPECT_EQ(Describe(d.Resume(d.Connect(), token)), "BAD_TOKEN");
  EXPECT_EQ(Describe(d.Login(d.Connect(), "alice", kPassword)), "AUTH_FAILED 2")
      << "the old password is gone (and the right one reset the count)";
  EXPECT_EQ(Describe(d.Login(d.Connect(), "alice", "new-password-1")), "OK");
}

TEST(AccountsTest, ChangePasswordCountsTowardsTheLockout) {
  Domain d(WithLockout(2, 10'000));
  Conn& c = d.LoggedIn("alice");
  EXPECT_EQ(Describe(ChangePassword(d, c, "wrong", "new-password-1")), "AUTH_FAILED 1");
  auto locked = ChangePassword(d, c, "wrong", "new-password-1");
  EXPECT_EQ(Describe(locked), "LOCKED 10");
  EXPECT_EQ(locked.failure().bye, Bye::kLocked);
  EXPECT_EQ(Describe(ChangePassword(d, c, kPassword, "new-password-1")), "LOCKED 10");
  EXPECT_EQ(Describe(d.Login(d.Connect(), "alice", kPassword)), "LOCKED 10")
      << "LOGIN from the same address shares the count";
}

TEST(AccountsTest, ReauthenticateCountsLikeLogin) {
  Domain d(WithLockout(3, 10'000));
  Conn& c = d.LoggedIn("alice");
  EXPECT_EQ(Describe(Reauthenticate(d, c, "wrong")), "AUTH_FAILED 2");
  EXPECT_EQ(Describe(Reauthenticate(d, c, "wrong")), "AUTH_FAILED 1");
  EXPECT_EQ(Describe(Reauthenticate(d, c, kPassword)), "OK");
  EXPECT_EQ(Describe(Reauthenticate(d, c, "wrong")), "AUTH_FAILED 2") << "reset by the right one";
  EXPECT_EQ(Describe(Reauthenticate(d, c, "wrong")), "AUTH_FAILED 1");
  EXPECT_EQ(Describe(Reauthenticate(d, c, "wrong")), "LOCKED 10");
  EXPECT_EQ(Describe(Reauthenticate(d, c, kPassword)), "LOCKED 10");
}

}  // namespace
}  // namespace caucus::core
