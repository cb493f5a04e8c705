// End to end: accounts and sessions (issue 2) against the real caucusd.
#include <gtest/gtest.h>
#include <signal.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "harness.h"

namespace caucus::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kPassword = "password-123";

// The lines a connection receives from now until the server closes it.
std::vector<std::string> RestOf(Client& c) { return c.WaitClosed(seconds(20)); }

bool HasLine(const std::vector<std::string>& lines, const std::string& prefix) {
  for (const auto& l : lines) {
    if (l.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// The end of the server's log, where a sanitizer writes its report.
std::string LogTail(const ServerProcess& server) {
  const std::string log = server.Log();
  return log.size() > 3000 ? log.substr(log.size() - 3000) : log;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// A LOGIN on a new connection from `source`.
struct Attempt {
  std::unique_ptr<Client> client;
  Reply reply;
};

Attempt TryLogin(const ServerProcess& server, const std::string& name, const std::string& password,
                 const std::string& source = {}) {
  Attempt a;
  a.client = std::make_unique<Client>("127.0.0.1", server.port(), source);
  a.reply = a.client->Cmd("LOGIN " + name + " " + password);
  return a;
}

// Sends `line` until the answer is something other than ALREADY_ONLINE: the
// server notices a closed connection a moment after the client closed it.
Reply UntilOffline(Client& c, const std::string& line) {
  for (int i = 0; i < 200; ++i) {
    Reply r = c.Cmd(line);
    if (r.code() != "ALREADY_ONLINE") return r;
    std::this_thread::sleep_for(milliseconds(50));
  }
  throw std::runtime_error("still online: " + line);
}

// Guesses wrong until the account is locked from `source`; expects the
// counting down of a server with --max-attempts 3.
void LockFrom(const ServerProcess& server, const std::string& name, const std::string& source) {
  Client c("127.0.0.1", server.port(), source);
  auto r = c.Cmd("LOGIN " + name + " wrong-password-1");
  ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
  ASSERT_EQ(r.params[3], "2");
  r = c.Cmd("LOGIN " + name + " wrong-password-2");
  ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
  ASSERT_EQ(r.params[3], "1");
  r = c.Cmd("LOGIN " + name + " wrong-password-3");
  ASSERT_EQ(r.code(), "LOCKED") << r.final;
  const auto rest = RestOf(c);
  ASSERT_EQ(rest.size(), 1u) << Joined(rest);
  EXPECT_EQ(rest[0].rfind("BYE LOCKED", 0), 0u) << rest[0];
}

// Expects `name` to be refused as locked from `source`, even with the right
// password: ERR LOGIN LOCKED <s> with 1 <= s <= max_seconds, then BYE LOCKED.
void ExpectLocked(const ServerProcess& server, const std::string& name, const std::string& source,
                  int max_seconds) {
  auto a = TryLogin(server, name, kPassword, source);
  ASSERT_EQ(a.reply.code(), "LOCKED") << a.reply.final;
  const int left = std::stoi(a.reply.params[3]);
  EXPECT_GE(left, 1);
  EXPECT_LE(left, max_seconds);
  const auto rest = RestOf(*a.client);
  ASSERT_EQ(rest.size(), 1u) << Joined(rest);
  EXPECT_EQ(rest[0].rfind("BYE LOCKED", 0), 0u) << rest[0];
}

// One server for the tests that need no options of their own. Locks last a
// minute there, so that a locked account cannot unlock during a test.
class AccountsE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--block-duration", "60", "--max-connections-per-ip", "0"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
};

ServerProcess* AccountsE2E::server_ = nullptr;

TEST(AccountsRestartE2E, RegisterLoginAndRelogAfterRestart) {
  ServerProcess server;
  const std::string name = FreshName("Reg");
  std::string token;
  {
    Client c("127.0.0.1", server.port());
    auto r = c.Cmd("REGISTER " + name + " " + kPassword);
    ASSERT_TRUE(r.ok()) << r.final;
    EXPECT_EQ(r.final, "OK REGISTER " + name);
    // REGISTER does not log in.
    EXPECT_EQ(c.Cmd("WHO").code(), "NOT_LOGGED_IN");
    // Names are unique without regard to case, and shown as registered.
    std::string upper = name;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_EQ(c.Cmd("REGISTER " + upper + " " + kPassword).code(), "NAME_TAKEN");
    r = c.Cmd("LOGIN " + upper + " " + kPassword);
    ASSERT_TRUE(r.ok()) << r.final;
    ASSERT_EQ(r.params.size(), 4u) << r.final;
    EXPECT_EQ(r.params[2], name);
    token = r.params[3];
    // At least 128 random bits: a word's 94 printable characters carry at
    // most 6.6 bits each, so no token of 128 bits is shorter than 20.
    EXPECT_GE(token.size(), 20u);
    EXPECT_TRUE(c.Cmd("WHO").ok());
  }  // dropped, not logged out: the token stays valid
  server.Stop();
  server.Start();
  {
    Client c("127.0.0.1", server.port());
    auto r = c.Cmd("LOGIN " + name + " password-124");
    EXPECT_EQ(r.code(), "AUTH_FAILED") << r.final;
    r = c.Cmd("LOGIN " + name + " " + kPassword);
    ASSERT_TRUE(r.ok()) << r.final;
    EXPECT_EQ(r.params[2], name);
    EXPECT_NE(r.params[3], token);
    EXPECT_TRUE(c.Cmd("LOGOUT").ok());
  }
  Client c("127.0.0.1", server.port());
  auto r = c.Cmd("RESUME " + token);
  ASSERT_TRUE(r.ok()) << "the token from before the restart: " << r.final;
  EXPECT_EQ(r.final, "OK RESUME " + name);
}

TEST_F(AccountsE2E, RegisterRefusesBadNamesWeakPasswordsAndTakenNames) {
  Client c("127.0.0.1", server_->port());
  EXPECT_EQ(c.Cmd("REGISTER -starts-with-dash " + kPassword).code(), "BAD_NAME");
  EXPECT_EQ(c.Cmd("REGISTER bad!name " + kPassword).code(), "BAD_NAME");
  EXPECT_EQ(c.Cmd("REGISTER " + std::string(65, 'a') + " " + kPassword).code(), "BAD_NAME");
  const std::string name = FreshName("reg");
  EXPECT_EQ(c.Cmd("REGISTER " + name + " seven77").code(), "WEAK_PASSWORD");
  EXPECT_EQ(c.Cmd("REGISTER " + name).code(), "BAD_ARGUMENTS");
  EXPECT_TRUE(c.Cmd("REGISTER " + name + " eight888").ok());
  EXPECT_EQ(c.Cmd("REGISTER " + name + " " + kPassword).code(), "NAME_TAKEN");
  // An e-mail address is a valid name.
  const std::string mail = FreshName("m") + ".x+y@example.org";
  EXPECT_EQ(c.Cmd("REGISTER " + mail + " " + kPassword).final, "OK REGISTER " + mail);
  ASSERT_TRUE(c.Cmd("LOGIN " + name + " eight888").ok());
  EXPECT_EQ(c.Cmd("REGISTER " + FreshName("reg") + " " + kPassword).code(), "ALREADY_LOGGED_IN");
  EXPECT_EQ(c.Cmd("LOGIN " + name + " eight888").code(), "ALREADY_LOGGED_IN");
}

TEST_F(AccountsE2E, VerbsThatNeedALoginAnswerNotLoggedIn) {
  Client c("127.0.0.1", server_->port());
  for (const char* line : {"WHO", "SEND someone :hi", "BROADCAST :hi", "BLOCKS", "POST :hi", "READ",
                           "PASSWORD a-password b-password"}) {
    auto r = c.Cmd(line);
    EXPECT_EQ(r.code(), "NOT_LOGGED_IN") << line << " -> " << r.final;
  }
  EXPECT_TRUE(c.Cmd("PING").ok());
  EXPECT_EQ(c.Cmd("FROBNICATE").code(), "UNKNOWN_COMMAND");
}

TEST_F(AccountsE2E, UnknownNameIsNoSuchUser) {
  Client c("127.0.0.1", server_->port());
  auto r = c.Cmd("LOGIN " + FreshName("nobody") + " " + kPassword);
  EXPECT_EQ(r.code(), "NO_SUCH_USER") << r.final;
  // The connection stays usable.
  EXPECT_TRUE(c.Cmd("PING").ok());
  EXPECT_EQ(c.Cmd("RESUME not-a-token-at-all").code(), "BAD_TOKEN");
}

TEST_F(AccountsE2E, WrongPasswordsCountDownAndACorrectOneResetsTheCount) {
  const std::string name = FreshName("cd");
  Register(*server_, name);
  {
    Client c("127.0.0.1", server_->port());
    auto r = c.Cmd("LOGIN " + name + " wrong-password-1");
    ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
    EXPECT_EQ(r.params[3], "2");
    r = c.Cmd("LOGIN " + name + " wrong-password-2");
    ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
    EXPECT_EQ(r.params[3], "1");
    // The connection stays open after AUTH_FAILED.
    r = c.Cmd("LOGIN " + name + " " + kPassword);
    ASSERT_TRUE(r.ok()) << r.final;
    ASSERT_TRUE(c.Cmd("LOGOUT").ok());
  }
  Client c("127.0.0.1", server_->port());
  auto r = UntilOffline(c, "LOGIN " + name + " wrong-password-3");
  ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
  EXPECT_EQ(r.params[3], "2") << "a correct password resets the count";
}

TEST_F(AccountsE2E, TheGuessThatReachesTheLimitIsLockedThenBye) {
  const std::string name = FreshName("lk");
  std::string token;
  LoggedIn(*server_, name, kPassword, &token)->Close();
  // Wait until the server has seen the drop (a guess meanwhile would be
  // answered ALREADY_ONLINE): log in again, then out.
  {
    Client c("127.0.0.1", server_->port());
    ASSERT_TRUE(UntilOffline(c, "LOGIN " + name + " " + kPassword).ok());
    ASSERT_TRUE(c.Cmd("LOGOUT").ok());
  }
  ASSERT_NO_FATAL_FAILURE(LockFrom(*server_, name, "127.0.0.1"));
  // While locked, even the right password gets LOCKED and BYE LOCKED.
  ASSERT_NO_FATAL_FAILURE(ExpectLocked(*server_, name, "127.0.0.1", 60));
  ASSERT_NO_FATAL_FAILURE(ExpectLocked(*server_, name, "127.0.0.1", 60));
  // RESUME is not affected by a lock: a token is not a password guess.
  Client c("127.0.0.1", server_->port());
  auto r = c.Cmd("RESUME " + token);
  EXPECT_EQ(r.final, "OK RESUME " + name);
}

TEST_F(AccountsE2E, AddressScopeLocksOnlyTheGuessingAddress) {
  const std::string name = FreshName("as");
  Register(*server_, name);
  ASSERT_NO_FATAL_FAILURE(LockFrom(*server_, name, "127.0.0.2"));
  ASSERT_NO_FATAL_FAILURE(ExpectLocked(*server_, name, "127.0.0.2", 60));
  // Another address keeps its own count and is not locked out.
  {
    Client c("127.0.0.1", server_->port(), "127.0.0.1");
    auto r = c.Cmd("LOGIN " + name + " wrong-password-4");
    ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
    EXPECT_EQ(r.params[3], "2");
    r = c.Cmd("LOGIN " + name + " " + kPassword);
    ASSERT_TRUE(r.ok()) << "a stranger must not lock a user out: " << r.final;
    ASSERT_TRUE(c.Cmd("LOGOUT").ok());
  }
  // The correct password from 127.0.0.1 does not lift the lock of 127.0.0.2.
  ASSERT_NO_FATAL_FAILURE(ExpectLocked(*server_, name, "127.0.0.2", 60));
}

TEST(AccountScopeE2E, LockCountsAndAppliesFromEveryAddress) {
  ServerProcess server({"--lock-scope", "account", "--block-duration", "60"});
  const std::string name = FreshName("ac");
  Register(server, name);
  {
    Client c("127.0.0.1", server.port(), "127.0.0.2");
    auto r = c.Cmd("LOGIN " + name + " wrong-password-1");
    ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
    EXPECT_EQ(r.params[3], "2");
    r = c.Cmd("LOGIN " + name + " wrong-password-2");
    ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
    EXPECT_EQ(r.params[3], "1");
  }
  {
    Client c("127.0.0.1", server.port(), "127.0.0.1");
    auto r = c.Cmd("LOGIN " + name + " wrong-password-3");
    ASSERT_EQ(r.code(), "LOCKED") << "failures count from every address: " << r.final;
    EXPECT_TRUE(HasLine(RestOf(c), "BYE LOCKED"));
  }
  ASSERT_NO_FATAL_FAILURE(ExpectLocked(server, name, "127.0.0.1", 60));
  ASSERT_NO_FATAL_FAILURE(ExpectLocked(server, name, "127.0.0.2", 60));
}

TEST(UnlockE2E, LockEndsAfterTheBlockDuration) {
  ServerProcess server({"--block-duration", "1"});
  const std::string name = FreshName("ul");
  Register(server, name);
  ASSERT_NO_FATAL_FAILURE(LockFrom(server, name, "127.0.0.1"));
  // Poll until the lock has passed; each refused try gets LOCKED 1, BYE LOCKED.
  bool unlocked = false;
  for (int i = 0; i < 100 && !unlocked; ++i) {
    auto a = TryLogin(server, name, kPassword);
    if (a.reply.ok()) {
      unlocked = true;
      break;
    }
    ASSERT_EQ(a.reply.code(), "LOCKED") << a.reply.final;
    EXPECT_EQ(a.reply.params[3], "1");
    EXPECT_TRUE(HasLine(RestOf(*a.client), "BYE LOCKED"));
    std::this_thread::sleep_for(milliseconds(200));
  }
  EXPECT_TRUE(unlocked) << "still locked after 100 tries of 200 ms";
}

TEST(LockoutRestartE2E, FailuresAndLocksSurviveARestart) {
  ServerProcess server({"--block-duration", "60"});
  const std::string name = FreshName("lr");
  Register(server, name);
  {
    Client c("127.0.0.1", server.port());
    EXPECT_EQ(c.Cmd("LOGIN " + name + " wrong-password-1").params.at(3), "2");
    EXPECT_EQ(c.Cmd("LOGIN " + name + " wrong-password-2").params.at(3), "1");
  }
  server.Stop();
  server.Start();
  {
    Client c("127.0.0.1", server.port());
    auto r = c.Cmd("LOGIN " + name + " wrong-password-3");
    ASSERT_EQ(r.code(), "LOCKED") << "the count was lost in the restart: " << r.final;
  }
  server.Kill9();
  server.Start();
  ASSERT_NO_FATAL_FAILURE(ExpectLocked(server, name, "127.0.0.1", 60));
}

// --idle-timeout 2 for the idle tests.
class IdleE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess({"--idle-timeout", "2"}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
};

ServerProcess* IdleE2E::server_ = nullptr;

TEST_F(IdleE2E, IdleSessionGetsByeAndItsTokenIsRevoked) {
  std::string token;
  auto c = LoggedIn(*server_, FreshName("id"), kPassword, &token);
  const auto rest = RestOf(*c);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().rfind("BYE IDLE_TIMEOUT", 0), 0u) << Joined(rest);
  Client again("127.0.0.1", server_->port());
  EXPECT_EQ(again.Cmd("RESUME " + token).code(), "BAD_TOKEN");
}

TEST_F(IdleE2E, PingDoesNotResetTheIdleTimerButOtherCommandsDo) {
  // The busy client logs in first: if commands did not reset the timer, it
  // would be timed out before the pinging one.
  auto busy = LoggedIn(*server_, FreshName("busy"));
  auto pinger = LoggedIn(*server_, FreshName("ping"));
  bool bye = false;
  std::string last;
  for (int i = 0; i < 100 && !bye; ++i) {
    ASSERT_TRUE(busy->Cmd("WHO").ok()) << "a session sending commands was timed out";
    pinger->Send("PING");
    while (true) {
      auto line = pinger->ReadLine(seconds(10));
      if (!line) break;
      last = *line;
      if (last == "OK PING") break;
      if (last.rfind("BYE ", 0) == 0) {
        bye = true;
        break;
      }
    }
    std::this_thread::sleep_for(milliseconds(200));
  }
  ASSERT_TRUE(bye) << "PING kept the session alive for 100 rounds of 200 ms";
  EXPECT_EQ(last.rfind("BYE IDLE_TIMEOUT", 0), 0u) << last;
  EXPECT_TRUE(busy->Cmd("WHO").ok());
}

TEST_F(AccountsE2E, RejectPolicyRefusesASecondLogin) {
  const std::string name = FreshName("rj");
  std::string token;
  auto first = LoggedIn(*server_, name, kPassword, &token);
  Client second("127.0.0.1", server_->port());
  EXPECT_EQ(second.Cmd("LOGIN " + name + " " + kPassword).code(), "ALREADY_ONLINE");
  EXPECT_EQ(second.Cmd("RESUME " + token).code(), "ALREADY_ONLINE");
  EXPECT_TRUE(second.Cmd("PING").ok());
  // The first session is untouched.
  EXPECT_TRUE(first->Cmd("WHO").ok());
  for (const auto& e : first->events()) EXPECT_NE(e.rfind("BYE ", 0), 0u) << e;
}

// A wrong password to an online account is answered and counted as to an
// offline one: the reject policy applies only after the right password, so a
// stranger cannot learn who is online (docs/protocol.md, LOGIN's order of
// checks).
TEST_F(AccountsE2E, WrongPasswordToAnOnlineAccountIsCountedNotRefusedAsOnline) {
  const std::string name = FreshName("wo");
  auto first = LoggedIn(*server_, name, kPassword);
  Client guesser("127.0.0.1", server_->port());
  const Reply wrong = guesser.Cmd("LOGIN " + name + " wrong-password");
  EXPECT_EQ(wrong.code(), "AUTH_FAILED") << wrong.final;
  const Reply again = guesser.Cmd("LOGIN " + name + " wrong-password");
  ASSERT_EQ(again.code(), "AUTH_FAILED") << again.final;
  // The second guess left one attempt fewer: both were counted.
  EXPECT_LT(std::stoi(again.params.at(3)), std::stoi(wrong.params.at(3)));
  // The right password then meets the policy.
  EXPECT_EQ(guesser.Cmd("LOGIN " + name + " " + kPassword).code(), "ALREADY_ONLINE");
  EXPECT_TRUE(first->Cmd("WHO").ok());
}

TEST(MultiLoginE2E, ReplacePolicyEndsTheOlderSession) {
  ServerProcess server({"--multi-login", "replace"});
  auto watcher = LoggedIn(server, FreshName("w"));
  const std::string name = FreshName("rp");
  std::string old_token;
  auto first = LoggedIn(server, name, kPassword, &old_token);
  watcher->WaitEvent("PRESENCE " + name + " online");
  Client second("127.0.0.1", server.port());
  auto r = second.Cmd("LOGIN " + name + " " + kPassword);
  ASSERT_TRUE(r.ok()) << r.final;
  const auto rest = RestOf(*first);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().rfind("BYE REPLACED", 0), 0u) << Joined(rest);
  EXPECT_TRUE(second.Cmd("WHO").ok());
  // The account never looked offline (docs/protocol.md), and the older
  // session's token died with it.
  ASSERT_TRUE(watcher->Cmd("PING").ok());
  for (const auto& e : watcher->events()) {
    EXPECT_NE(e.rfind("PRESENCE " + name, 0), 0u) << e;
  }
  Client third("127.0.0.1", server.port());
  EXPECT_EQ(third.Cmd("RESUME " + old_token).code(), "BAD_TOKEN");
  EXPECT_TRUE(second.Cmd("WHO").ok());
}

TEST(MultiLoginE2E, AllowPolicyKeepsBothSessions) {
  ServerProcess server({"--multi-login", "allow"});
  auto watcher = LoggedIn(server, FreshName("w"));
  const std::string name = FreshName("al");
  auto first = LoggedIn(server, name);
  Client second("127.0.0.1", server.port());
  auto r = second.Cmd("LOGIN " + name + " " + kPassword);
  ASSERT_TRUE(r.ok()) << r.final;
  // Both sessions get a direct message; presence is per account.
  r = watcher->Cmd("SEND " + name + " :to both");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(first->WaitEvent("MSG " + r.params[2] + " "), second.WaitEvent("MSG " + r.params[2]));
  watcher->WaitEvent("PRESENCE " + name + " online");
  ASSERT_TRUE(first->Cmd("LOGOUT").ok());
  EXPECT_TRUE(HasLine(RestOf(*first), "BYE LOGOUT"));
  ASSERT_TRUE(watcher->Cmd("PING").ok());
  for (const auto& e : watcher->events()) {
    EXPECT_NE(e.rfind("PRESENCE " + name, 0), 0u) << "one session is still online: " << e;
  }
  EXPECT_TRUE(second.Cmd("WHO").ok());
  ASSERT_TRUE(second.Cmd("LOGOUT").ok());
  watcher->WaitEvent("PRESENCE " + name + " offline");
}

TEST_F(AccountsE2E, ResumeWorksUntilLogout) {
  const std::string name = FreshName("rs");
  std::string token;
  LoggedIn(*server_, name, kPassword, &token)->Close();
  Client c("127.0.0.1", server_->port());
  auto r = UntilOffline(c, "RESUME " + token);
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(r.final, "OK RESUME " + name);
  EXPECT_TRUE(c.Cmd("WHO").ok());
  r = c.Cmd("LOGOUT");
  EXPECT_EQ(r.final, "OK LOGOUT");
  const auto rest = RestOf(c);
  ASSERT_EQ(rest.size(), 1u) << Joined(rest);
  EXPECT_EQ(rest[0].rfind("BYE LOGOUT", 0), 0u);
  Client after("127.0.0.1", server_->port());
  EXPECT_EQ(after.Cmd("RESUME " + token).code(), "BAD_TOKEN");
}

TEST_F(AccountsE2E, PasswordChangeKillsEveryTokenButKeepsTheSession) {
  const std::string name = FreshName("pw");
  const std::string fresh = "new-password-456";
  std::string dropped_token;
  LoggedIn(*server_, name, kPassword, &dropped_token)->Close();
  Client c("127.0.0.1", server_->port());
  auto r = UntilOffline(c, "LOGIN " + name + " " + kPassword);
  ASSERT_TRUE(r.ok()) << r.final;
  const std::string own_token = r.params[3];

  r = c.Cmd("PASSWORD wrong-password-1 " + fresh);
  ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
  EXPECT_EQ(r.params[3], "2");
  EXPECT_EQ(c.Cmd("PASSWORD " + kPassword + " short").code(), "WEAK_PASSWORD");
  r = c.Cmd("PASSWORD " + kPassword + " " + fresh);
  ASSERT_EQ(r.final, "OK PASSWORD");
  EXPECT_TRUE(c.Cmd("WHO").ok()) << "the changing session stays logged in";
  c.Close();

  Client d("127.0.0.1", server_->port());
  EXPECT_EQ(d.Cmd("RESUME " + dropped_token).code(), "BAD_TOKEN");
  EXPECT_EQ(d.Cmd("RESUME " + own_token).code(), "BAD_TOKEN");
  r = d.Cmd("LOGIN " + name + " " + kPassword);
  EXPECT_EQ(r.code(), "AUTH_FAILED") << r.final;
  r = UntilOffline(d, "LOGIN " + name + " " + fresh);
  EXPECT_TRUE(r.ok()) << r.final;
}

TEST_F(AccountsE2E, PasswordGuessesCountTowardsTheLockout) {
  const std::string name = FreshName("pl");
  std::string token;
  auto c = LoggedIn(*server_, name, kPassword, &token);
  EXPECT_EQ(c->Cmd("PASSWORD wrong-password-1 new-password-456").params.at(3), "2");
  EXPECT_EQ(c->Cmd("PASSWORD wrong-password-2 new-password-456").params.at(3), "1");
  auto r = c->Cmd("PASSWORD wrong-password-3 new-password-456");
  ASSERT_EQ(r.code(), "LOCKED") << r.final;
  EXPECT_TRUE(HasLine(RestOf(*c), "BYE LOCKED"));
  Client d("127.0.0.1", server_->port());
  EXPECT_EQ(UntilOffline(d, "RESUME " + token).code(), "BAD_TOKEN")
      << "the session's token dies with the lock";
  ASSERT_NO_FATAL_FAILURE(ExpectLocked(*server_, name, "127.0.0.1", 60));
}

TEST(ConnectionLimitE2E, NewerConnectionsFromAFullAddressGetBye) {
  ServerProcess server({"--max-connections-per-ip", "2"});
  auto a = std::make_unique<Client>("127.0.0.1", server.port());
  Client b("127.0.0.1", server.port());
  EXPECT_EQ(a->hello().rfind("HELLO caucus/1 ", 0), 0u) << a->hello();
  EXPECT_EQ(b.hello().rfind("HELLO caucus/1 ", 0), 0u) << b.hello();
  {
    Client c("127.0.0.1", server.port());
    EXPECT_EQ(c.hello().rfind("BYE TOO_MANY_CONNECTIONS", 0), 0u) << c.hello();
    const auto rest = RestOf(c);
    EXPECT_TRUE(rest.empty()) << Joined(rest);
  }
  // The limit is per address.
  Client other("127.0.0.1", server.port(), "127.0.0.2");
  EXPECT_EQ(other.hello().rfind("HELLO ", 0), 0u) << other.hello();
  // The older connections still work, and a freed place can be taken again.
  EXPECT_TRUE(b.Cmd("PING").ok());
  a.reset();
  bool admitted = false;
  for (int i = 0; i < 100 && !admitted; ++i) {
    Client c("127.0.0.1", server.port());
    admitted = c.hello().rfind("HELLO ", 0) == 0;
    if (!admitted) std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_TRUE(admitted);
}

TEST(SlowReaderE2E, ClientThatStopsReadingGetsTooSlowAndMemoryStaysFlat) {
  // 60000-byte broadcasts: the flood needs few commands.
  ServerProcess server({"--send-queue", "65536", "--max-text", "60000", "--max-line", "65536",
                        "--idle-timeout", "0"});
  const std::string name = FreshName("slow");
  Register(server, name);
  auto victim = std::make_unique<Client>("127.0.0.1", server.port(), "", 4096);
  auto r = victim->Cmd("LOGIN " + name + " " + kPassword);
  ASSERT_TRUE(r.ok()) << r.final;
  const std::string token = r.params[3];
  auto flooder = LoggedIn(server, FreshName("flood"));
  ASSERT_TRUE(flooder->Cmd("BROADCAST :warm-up").ok());

  const long before = server.StatusKb("RssAnon");
  ASSERT_GT(before, 0);
  // The victim reads nothing from here on. An unbounded server would hold
  // the whole flood, up to 120 MB, for it.
  const std::string text(60000, 'x');
  int sent = 0;
  bool dropped = false;
  for (; sent < 2000 && !dropped; ++sent) {
    r = flooder->Cmd("BROADCAST :" + text);
    ASSERT_TRUE(r.ok()) << r.final;
    ASSERT_EQ(r.params.size(), 6u) << r.final;
    dropped = r.params[4] == "0";  // delivered to nobody: the victim is gone
  }
  const long after = server.StatusKb("RssAnon");
  ASSERT_TRUE(dropped) << "the victim was still online after " << sent << " broadcasts";
  EXPECT_LT(after - before, 32 * 1024) << "RssAnon grew from " << before << " kB to " << after
                                       << " kB over " << sent << " broadcasts";
  flooder->WaitEvent("PRESENCE " + name + " offline");

  // What the victim finds when it reads again: what the kernel held, then
  // BYE TOO_SLOW, then the end.
  const auto rest = victim->WaitClosed(seconds(30));
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().rfind("BYE TOO_SLOW", 0), 0u)
      << "last of " << rest.size() << " lines: " << rest.back().substr(0, 80);
  // TOO_SLOW does not revoke the token (docs/protocol.md).
  Client again("127.0.0.1", server.port());
  EXPECT_EQ(again.Cmd("RESUME " + token).final, "OK RESUME " + name);
}

// Stops a server with `signal` while one client is logged in and another
// is not: both get BYE SHUTDOWN, the exit status is 0, and a command in
// flight that was answered was committed.
void ShutdownOn(int signal) {
  ServerProcess server;
  const std::string recipient = FreshName("rcpt");
  Register(server, recipient);
  auto user = LoggedIn(server, FreshName("sd"));
  Client anonymous("127.0.0.1", server.port());
  ASSERT_TRUE(anonymous.Cmd("PING").ok());
  ASSERT_TRUE(user->Cmd("PING").ok());
  // A stored message whose command is in flight at the signal: if it was
  // answered, it must have been committed.
  user->Send("SEND " + recipient + " :in flight at shutdown");
  // The clients read on as real ones would, and close at the end.
  std::vector<std::string> user_lines, anon_lines;
  auto read_to_end = [](Client& c, std::vector<std::string>* lines) {
    try {
      *lines = c.WaitClosed(seconds(20));
    } catch (const std::exception& e) {
      lines->push_back(std::string("(") + e.what() + ")");
    }
  };
  std::thread user_reader(read_to_end, std::ref(*user), &user_lines);
  std::thread anon_reader(read_to_end, std::ref(anonymous), &anon_lines);
  const int status = server.Stop(signal);
  user_reader.join();
  anon_reader.join();
  EXPECT_EQ(status, 0) << LogTail(server);
  ASSERT_FALSE(user_lines.empty());
  EXPECT_EQ(user_lines.back().rfind("BYE SHUTDOWN", 0), 0u) << Joined(user_lines);
  ASSERT_EQ(anon_lines.size(), 1u) << Joined(anon_lines);
  EXPECT_EQ(anon_lines[0].rfind("BYE SHUTDOWN", 0), 0u);

  server.Start();
  Client c("127.0.0.1", server.port());
  ASSERT_TRUE(c.Cmd("LOGIN " + recipient + " " + kPassword).ok());
  ASSERT_TRUE(c.Cmd("PING").ok());
  const bool answered = HasLine(user_lines, "OK SEND ");
  bool delivered = false;
  for (const auto& e : c.events())
    delivered = delivered || e.find(":in flight at shutdown") != std::string::npos;
  if (answered) {
    EXPECT_TRUE(delivered) << "OK SEND was sent, then the message was lost";
  }
}

TEST(ShutdownE2E, SigtermSaysByeShutdownToEveryClientAndExitsZero) { ShutdownOn(SIGTERM); }

TEST(ShutdownE2E, SigintDoesTheSame) { ShutdownOn(SIGINT); }

TEST(ShutdownE2E, AClientThatNeitherReadsNorClosesDoesNotHoldUpTheExit) {
  ServerProcess server;
  auto user = LoggedIn(server, FreshName("stuck"));
  Client anonymous("127.0.0.1", server.port());
  ASSERT_TRUE(anonymous.Cmd("PING").ok());
  // Neither client reads or closes until the server has exited.
  EXPECT_EQ(server.Stop(SIGTERM, seconds(30)), 0) << LogTail(server);
  for (Client* c : {user.get(), &anonymous}) {
    const auto lines = RestOf(*c);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back().rfind("BYE SHUTDOWN", 0), 0u) << Joined(lines);
  }
}

TEST(Ipv6E2E, LoopbackV6Works) {
  ServerProcess server({}, {}, /*ipv6=*/true);
  ASSERT_NE(server.port6(), 0);
  const std::string name = FreshName("six");
  auto v4 = LoggedIn(server, FreshName("four"));
  Client c("::1", server.port6());
  EXPECT_EQ(c.hello().rfind("HELLO caucus/1 ", 0), 0u) << c.hello();
  ASSERT_TRUE(c.Cmd("REGISTER " + name + " " + kPassword).ok());
  auto r = c.Cmd("LOGIN " + name + " " + kPassword);
  ASSERT_TRUE(r.ok()) << r.final;
  v4->WaitEvent("PRESENCE " + name + " online");
  r = v4->Cmd("SEND " + name + " :over v6");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_NE(c.WaitEvent("MSG " + r.params[2]).find(":over v6"), std::string::npos);
  // The server sees the client's IPv6 address (the login history).
  std::string out;
  ASSERT_EQ(server.Cli({"log", "logins"}, "", &out), 0) << out;
  bool seen = false;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    seen = seen || (line.find(" " + name + " ") != std::string::npos &&
                    line.find("::1") != std::string::npos);
  }
  EXPECT_TRUE(seen) << out;
}

// Every file under `dir` that holds `secret`, by name.
std::vector<std::string> FilesHolding(const std::string& dir, const std::string& secret) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (bytes.str().find(secret) != std::string::npos) out.push_back(entry.path().string());
  }
  return out;
}

TEST(SecretsE2E, PasswordsAndTokensAreNeverInClearOnDiskOrInTheLog) {
  // The server's log goes to <data>/server.log, so one scan covers both.
  ServerProcess server({"--log-level", "trace"});
  const std::string name = FreshName("sec");
  const std::string first = "First-" + FreshName("pw") + "-secret";
  const std::string second = "Second-" + FreshName("pw") + "-secret";
  const std::string wrong = "Wrong-" + FreshName("pw") + "-guess";
  std::vector<std::string> secrets = {first, second, wrong};
  {
    std::string token;
    auto c = LoggedIn(server, name, first, &token);
    secrets.push_back(token);
    ASSERT_TRUE(c->Cmd("PASSWORD " + first + " " + second).ok());
    ASSERT_TRUE(c->Cmd("LOGOUT").ok());
  }
  {
    Client c("127.0.0.1", server.port());
    EXPECT_EQ(UntilOffline(c, "LOGIN " + name + " " + wrong).code(), "AUTH_FAILED");
    auto r = c.Cmd("LOGIN " + name + " " + second);
    ASSERT_TRUE(r.ok()) << r.final;
    secrets.push_back(r.params[3]);
  }
  for (const auto& s : secrets) {
    EXPECT_EQ(FilesHolding(server.data(), s), std::vector<std::string>{}) << "running: " << s;
  }
  ASSERT_EQ(server.Stop(SIGTERM), 0);
  for (const auto& s : secrets) {
    EXPECT_EQ(FilesHolding(server.data(), s), std::vector<std::string>{}) << "stopped: " << s;
  }
  // The scan did see the log and the store.
  EXPECT_FALSE(FilesHolding(server.data(), name).empty());
  EXPECT_NE(server.Log().find(name), std::string::npos);
}

}  // namespace
}  // namespace caucus::test
