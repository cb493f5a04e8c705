// End to end: the protocol extensions the clients need (issue 16), against
// the real caucusd: RULES (what the server allows, said before it is
// broken), WATCH board and its POSTED events, POLLFLAGS (choices=N), and
// the presence an unblock makes visible again.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <thread>

#include "harness.h"

namespace caucus::test {
namespace {

const std::string kPassword = "password-123";

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// RULE lines of a RULES reply: key -> value.
std::map<std::string, std::string> Rules(const Reply& r) {
  std::map<std::string, std::string> out;
  EXPECT_TRUE(r.ok()) << r.final;
  for (const auto& line : r.data) {
    const auto p = Params(line);
    EXPECT_EQ(p.size(), 3u) << line;
    EXPECT_EQ(p[0], "RULE") << line;
    if (p.size() == 3) out[p[1]] = p[2];
  }
  EXPECT_EQ(r.final, "OK RULES " + std::to_string(r.data.size()));
  return out;
}

TEST(RulesE2E, OpenServerBeforeLogin) {
  ServerProcess server({"--idle-timeout", "40"});
  Client c("127.0.0.1", server.port());
  auto rules = Rules(c.Cmd("RULES"));
  EXPECT_EQ(rules["registration"], "open");
  EXPECT_EQ(rules.count("email-domain"), 0u);
  EXPECT_EQ(rules["passwords"], "chosen");
  EXPECT_EQ(rules["min-password"], "8");
  EXPECT_EQ(rules["max-text"], "4000");
  EXPECT_EQ(rules["max-line"], "8192");
  EXPECT_EQ(rules["idle-timeout"], "40");
}

TEST(RulesE2E, EmailServerWithGeneratedPasswords) {
  ServerProcess server(
      {"--registration", "email", "--email-domain", "example\\.org", "--generate-passwords"});
  Client c("127.0.0.1", server.port());
  auto rules = Rules(c.Cmd("RULES"));
  EXPECT_EQ(rules["registration"], "email");
  EXPECT_EQ(rules["email-domain"], "example\\.org");
  EXPECT_EQ(rules["passwords"], "generated");
}

// Reads events until the one that starts with `prefix`, after a PING that
// orders them: what came before its reply is all there is.
std::vector<std::string> EventsBeforePing(Client& c, const std::string& prefix) {
  EXPECT_TRUE(c.Cmd("PING sync").ok());
  std::vector<std::string> out;
  for (auto it = c.events().begin(); it != c.events().end();) {
    if (StartsWith(*it, prefix)) {
      out.push_back(*it);
      it = c.events().erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

TEST(WatchE2E, WatchersSeeOthersPostsEditsAndDeletes) {
  ServerProcess server;
  const std::string author = FreshName("author");
  auto a = LoggedIn(server, author);
  auto watcher = LoggedIn(server, FreshName("watcher"));
  auto other = LoggedIn(server, FreshName("other"));
  EXPECT_EQ(watcher->Cmd("WATCH board").final, "OK WATCH board");
  EXPECT_EQ(a->Cmd("WATCH BOARD").final, "OK WATCH board");
  EXPECT_EQ(other->Cmd("WATCH polls").code(), "BAD_ARGUMENTS");

  const Reply posted = a->Cmd("POST :lunch at noon");
  ASSERT_TRUE(posted.ok()) << posted.final;
  const std::string n = posted.params[2];
  const std::string event = watcher->WaitEvent("POSTED ");
  EXPECT_EQ(event, "POSTED " + n + " new " + posted.params[3] + " " + author + " :lunch at noon");

  const Reply edited = a->Cmd("EDIT " + n + " :lunch at one");
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(watcher->WaitEvent("POSTED "),
            "POSTED " + n + " edited " + edited.params[3] + " " + author + " :lunch at one");

  ASSERT_TRUE(a->Cmd("DELETE " + n).ok());
  const auto deleted = Params(watcher->WaitEvent("POSTED "));
  ASSERT_EQ(deleted.size(), 5u);
  EXPECT_EQ(deleted[1], n);
  EXPECT_EQ(deleted[2], "deleted");
  EXPECT_EQ(deleted[4], author);

  // The author's own session gets the replies, not the events; a session
  // that did not ask gets none.
  EXPECT_TRUE(EventsBeforePing(*a, "POSTED ").empty());
  EXPECT_TRUE(EventsBeforePing(*other, "POSTED ").empty());
  // WATCH lasts as long as its session: a new one starts without it.
  EXPECT_EQ(Client("127.0.0.1", server.port()).Cmd("WATCH board").code(), "NOT_LOGGED_IN");
}

TEST(PollFlagsE2E, TellsAPollsRules) {
  ServerProcess server;
  const std::string admin = FreshName("boss");
  std::string out;
  ASSERT_EQ(server.Cli({"users", "add", admin, "--admin"}, kPassword + "\n", &out), 0) << out;
  // The running server learns of the account from the store's change feed.
  Client boss("127.0.0.1", server.port());
  Reply login;
  for (int i = 0; i < 100; ++i) {
    login = boss.Cmd("LOGIN " + admin + " " + kPassword);
    if (login.code() != "NO_SUCH_USER") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(login.ok()) << login.final;
  const Reply made = boss.Cmd("POLLNEW - +300 revote,choices=2 :Which days?");
  ASSERT_TRUE(made.ok()) << made.final;
  const std::string id = made.params[2];
  EXPECT_EQ(boss.Cmd("POLLFLAGS " + id).final, "OK POLLFLAGS " + id + " revote,choices=2");
  const Reply plain = boss.Cmd("POLLNEW - +300 - :Yes or no?");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(boss.Cmd("POLLFLAGS " + plain.params[2]).final,
            "OK POLLFLAGS " + plain.params[2] + " -");
  EXPECT_EQ(boss.Cmd("POLLFLAGS p999").code(), "NO_SUCH_POLL");
}

TEST(UnblockE2E, TheUnblockedUserSeesThePresenceTheBlockHid) {
  ServerProcess server;
  const std::string blocker = FreshName("blocker");
  const std::string blocked = FreshName("blocked");
  auto a = LoggedIn(server, blocker);
  auto b = LoggedIn(server, blocked);
  ASSERT_TRUE(a->Cmd("BLOCK " + blocked).ok());
  // While blocked, b does not see a in WHO.
  EXPECT_EQ(b->Cmd("WHO").final, "OK WHO 0");
  ASSERT_TRUE(a->Cmd("UNBLOCK " + blocked).ok());
  const std::string presence = b->WaitEvent("PRESENCE " + blocker + " ");
  EXPECT_TRUE(StartsWith(presence, "PRESENCE " + blocker + " online ")) << presence;
  EXPECT_EQ(b->Cmd("WHO").final, "OK WHO 1");
}

}  // namespace
}  // namespace caucus::test
