// End to end: the message log's retention (issue 19). `caucusd log prune`
// against a running caucusd, and --history-retention's pass at start: old
// messages leave HISTORY and `caucusd log messages`, while a message still
// waiting for its recipient stays and is delivered at the next login.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "harness.h"

namespace caucus::test {
namespace {

using std::chrono::milliseconds;

// `OK SEND <id> <time> delivered|stored`, checked; returns the time.
std::string SentAt(const Reply& r, const std::string& how) {
  if (!r.ok() || r.params.size() != 5 || r.params[1] != "SEND" || r.params[4] != how) {
    ADD_FAILURE() << "expected OK SEND <id> <time> " << how << ", got " << r.final;
    return "";
  }
  return r.params[3];
}

// The texts of a HISTORY reply's DM lines, oldest first.
std::vector<std::string> HistoryTexts(Client& c, const std::string& with) {
  auto r = c.Cmd("HISTORY " + with);
  EXPECT_TRUE(r.ok()) << r.final;
  std::vector<std::string> texts;
  for (const auto& line : r.data) {
    const auto p = Params(line);
    if (p.size() == 6 && p[0] == "DM") texts.push_back(p[5]);
  }
  return texts;
}

// The message log as `caucusd log messages` prints it, from 2000 on.
std::string MessageLog(const ServerProcess& server) {
  std::string out;
  EXPECT_EQ(server.Cli({"log", "messages", "--since", "2000-01-01T00:00:00Z"}, "", &out), 0);
  return out;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Logs `name` in on a new connection and reads past the reply to a PING:
// the stored messages handed over after OK LOGIN are in events() then.
std::unique_ptr<Client> LogIn(const ServerProcess& server, const std::string& name) {
  auto c = std::make_unique<Client>("127.0.0.1", server.port());
  auto r = c->Cmd("LOGIN " + name + " password-123");
  if (!r.ok()) throw std::runtime_error("LOGIN: " + r.final);
  if (!c->Cmd("PING").ok()) throw std::runtime_error("PING");
  return c;
}

bool Received(Client& c, const std::string& text) {
  for (const auto& e : c.events()) {
    if (StartsWith(e, "MSG ") && Has(e, " dm :" + text)) return true;
  }
  return false;
}

TEST(RetentionE2E, LogPruneDeletesOldMessagesButNotThoseWaitingForTheirRecipient) {
  ServerProcess server;
  const std::string a_name = FreshName("a"), b_name = FreshName("b"), c_name = FreshName("c");
  auto a = LoggedIn(server, a_name);
  auto b = LoggedIn(server, b_name);
  Register(server, c_name);  // offline from now on
  ASSERT_FALSE(SentAt(a->Cmd("SEND " + b_name + " :old one"), "delivered").empty());
  ASSERT_FALSE(SentAt(b->Cmd("SEND " + a_name + " :old two"), "delivered").empty());
  const std::string last_old = SentAt(a->Cmd("SEND " + c_name + " :old waiting"), "stored");
  ASSERT_FALSE(last_old.empty());
  AfterTime(last_old, milliseconds(5));
  const std::string cut = WireTime(
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  AfterTime(cut, milliseconds(5));
  ASSERT_FALSE(SentAt(a->Cmd("SEND " + b_name + " :new one"), "delivered").empty());

  // While the server runs, as an operator would.
  std::string out, err;
  ASSERT_EQ(server.Cli({"log", "prune", "--before", cut}, "", &out, &err), 0) << err;
  EXPECT_TRUE(Has(out, "pruned 2 messages logged before " + cut)) << out;
  EXPECT_TRUE(Has(out, "kept 1 older message waiting")) << out;

  EXPECT_EQ(HistoryTexts(*b, a_name), (std::vector<std::string>{"new one"}));
  EXPECT_EQ(HistoryTexts(*a, c_name), (std::vector<std::string>{"old waiting"}));
  std::string log = MessageLog(server);
  EXPECT_FALSE(Has(log, ": old one")) << log;
  EXPECT_FALSE(Has(log, ": old two")) << log;
  EXPECT_TRUE(Has(log, ": old waiting")) << log;
  EXPECT_TRUE(Has(log, ": new one")) << log;

  // Delivered at the login; once acknowledged, the next prune takes it.
  auto c = LogIn(server, c_name);
  EXPECT_TRUE(Received(*c, "old waiting"));
  for (int i = 0; i < 50 && Has(MessageLog(server), ": old waiting"); ++i) {
    out.clear();
    ASSERT_EQ(server.Cli({"log", "prune", "--before", cut}, "", &out), 0);
    std::this_thread::sleep_for(milliseconds(100));
  }
  log = MessageLog(server);
  EXPECT_FALSE(Has(log, ": old waiting")) << log;
  EXPECT_TRUE(Has(log, ": new one")) << log;
  EXPECT_TRUE(HistoryTexts(*c, a_name).empty());

  // New messages go on from the ids already given (a live message's log
  // write is not waited for: HISTORY has it a moment later).
  ASSERT_TRUE(a->Cmd("SEND " + b_name + " :newer").ok());
  std::vector<std::string> texts;
  for (int i = 0; i < 100 && texts.size() < 2; ++i) {
    std::this_thread::sleep_for(milliseconds(20));
    texts = HistoryTexts(*b, a_name);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"new one", "newer"}));

  out.clear();
  ASSERT_EQ(server.Cli({"log", "audit", "--since", "2000-01-01T00:00:00Z"}, "", &out), 0);
  EXPECT_TRUE(Has(out, "operator log.prune before " + cut)) << out;
}

TEST(RetentionE2E, LogPruneRefusesAMalformedTime) {
  ServerProcess server;
  std::string out, err;
  EXPECT_EQ(server.Cli({"log", "prune", "--before", "yesterday"}, "", &out, &err), 2);
  EXPECT_TRUE(Has(err, "--before: expected an RFC 3339 time")) << err;
  EXPECT_NE(server.Cli({"log", "prune"}, "", &out, &err), 0) << "--before is required";
}

TEST(RetentionE2E, HistoryRetentionPrunesAtStartAndKeepsWhatWaits) {
  ServerProcess server({"--history-retention", "2s"});
  const std::string a_name = FreshName("a"), b_name = FreshName("b"), c_name = FreshName("c");
  {
    auto a = LoggedIn(server, a_name);
    auto b = LoggedIn(server, b_name);
    Register(server, c_name);
    ASSERT_TRUE(a->Cmd("SEND " + b_name + " :seen long ago").ok());
    const std::string last = SentAt(a->Cmd("SEND " + c_name + " :waiting long"), "stored");
    ASSERT_FALSE(last.empty());
    AfterTime(last, milliseconds(2500));
  }
  // The pass at start; then one a minute, too slow for a test.
  server.Stop();
  server.Start();
  ASSERT_TRUE(LogShows(server, "message log: pruned 1 message(s) logged before")) << server.Log();
  EXPECT_TRUE(LogShows(server, "1 older wait in offline queues")) << server.Log();

  auto b = LogIn(server, b_name);
  EXPECT_TRUE(HistoryTexts(*b, a_name).empty());
  EXPECT_FALSE(Has(MessageLog(server), ": seen long ago"));
  auto c = LogIn(server, c_name);
  EXPECT_TRUE(Received(*c, "waiting long"));
}

TEST(RetentionE2E, HistoryRetentionTakesANumberAndAUnit) {
  ServerProcess server;
  std::string out, err;
  EXPECT_EQ(server.Cli({"--history-retention", "30", "users", "list"}, "", &out, &err), 2);
  EXPECT_TRUE(Has(err, "--history-retention")) << err;
  EXPECT_EQ(server.Cli({"--history-retention", "30d", "users", "list"}, "", &out, &err), 0) << err;
}

}  // namespace
}  // namespace caucus::test
