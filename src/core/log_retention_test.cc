// LogRetention on a real store, with a manual clock and timers: what a pass
// deletes and keeps, its steps, and the periodic passes of a retention.
#include "core/log_retention.h"

#include <gtest/gtest.h>

#include "core/testing/domain_fixture.h"

namespace caucus::core {
namespace {

using testing::Conn;
using testing::Describe;
using testing::Domain;
using testing::kStartMs;

constexpr TimeMs kMinute = 60'000;

Outcome<Messaging::Sent> Send(Domain& d, Conn& from, const std::string& to,
                              const std::string& text) {
  return d.Run<Messaging::Sent>(
      [&](Reply<Messaging::Sent> done) { d.messaging().Send(from.session, to, text, done); });
}

// The texts of the direct messages between `c`'s account and `with`, oldest first.
std::vector<std::string> HistoryTexts(Domain& d, Conn& c, const std::string& with) {
  auto page = d.Run<Messaging::HistoryPage>([&](Reply<Messaging::HistoryPage> done) {
    d.messaging().History(c.session, with, INT64_MAX, 100, done);
  });
  std::vector<std::string> texts;
  if (page.ok()) {
    for (const auto& m : page->messages) texts.push_back(m.text);
  }
  return texts;
}

// The texts of the whole message log, by id.
std::vector<std::string> LogTexts(Domain& d) {
  std::vector<std::string> texts;
  d.store().MessageLog(0, 100'000, [&](store::Result<std::vector<store::MessageRecord>> r) {
    ASSERT_TRUE(r.ok());
    for (const auto& m : *r) texts.push_back(m.text);
  });
  d.Pump();
  return texts;
}

Outcome<LogRetention::Pruned> Prune(Domain& d, TimeMs before_ms) {
  return d.Run<LogRetention::Pruned>(
      [&](Reply<LogRetention::Pruned> done) { d.caucus().retention().Prune(before_ms, done); });
}

TEST(LogRetentionTest, ARetentionPrunesAtStartAndEveryMinuteButNotWhatWaitsForItsRecipient) {
  Config c;
  c.history_retention_ms = 60 * kMinute;
  Domain d(c);
  Conn& alice = d.LoggedIn("alice");
  Conn& bob = d.LoggedIn("bob");
  d.Create("carol");
  ASSERT_EQ(Describe(Send(d, alice, "bob", "old, seen")), "OK");
  auto stored = Send(d, alice, "carol", "old, waiting");
  ASSERT_EQ(Describe(stored), "OK");
  EXPECT_FALSE(stored->delivered);
  d.Advance(30 * kMinute);
  ASSERT_EQ(Describe(Send(d, bob, "alice", "recent")), "OK");

  d.caucus().retention().Start();
  d.Advance(0);  // the first pass: nothing is an hour old yet
  EXPECT_EQ(HistoryTexts(d, alice, "bob"), (std::vector<std::string>{"old, seen", "recent"}));
  ASSERT_EQ(d.scheduler().pending(), 1u) << "the next pass";
  EXPECT_EQ(d.scheduler().next(), d.clock().now + LogRetention::kEvery);

  d.Advance(31 * kMinute);  // the old ones are 61 minutes old
  EXPECT_EQ(HistoryTexts(d, alice, "bob"), (std::vector<std::string>{"recent"}));
  EXPECT_EQ(HistoryTexts(d, alice, "carol"), (std::vector<std::string>{"old, waiting"}))
      << "still waiting for carol";

  Conn& carol = d.Connect();
  ASSERT_EQ(Describe(d.Login(carol, "carol")), "OK");
  ASSERT_EQ(carol.peer.lines.size(), 1u);
  EXPECT_NE(carol.peer.lines[0].find(":old, waiting"), std::string::npos) << carol.peer.lines[0];
  d.Advance(LogRetention::kEvery);  // handed over: the next pass takes it
  EXPECT_EQ(LogTexts(d), (std::vector<std::string>{"recent"}));
  EXPECT_EQ(d.scheduler().pending(), 1u);
}

TEST(LogRetentionTest, WithoutARetentionNothingIsEverPruned) {
  Domain d;
  d.caucus().retention().Start();
  EXPECT_EQ(d.scheduler().pending(), 0u);
}

TEST(LogRetentionTest, APassGoesInStepsUntilItFindsFewerThanAStep) {
  Domain d;
  const AccountId alice = d.Create("alice");
  const AccountId bob = d.Create("bob");
  constexpr int kMessages = 2 * LogRetention::kStep + 5;
  for (int i = 1; i <= kMessages; ++i) {
    // Every hundredth waits for bob.
    d.store().AppendMessage({i, kStartMs + i, alice, bob, "m" + std::to_string(i)}, i % 100 == 0,
                            nullptr);
  }
  d.store().AppendMessage({kMessages + 1, kStartMs + kMessages + 1, bob, alice, "kept"}, false,
                          nullptr);
  d.Pump();

  auto pruned = Prune(d, kStartMs + kMessages + 1);
  ASSERT_EQ(Describe(pruned), "OK");
  EXPECT_EQ(pruned->kept_queued, kMessages / 100);
  EXPECT_EQ(pruned->deleted, kMessages - kMessages / 100);
  EXPECT_EQ(pruned->steps, 3) << "two full steps, then one that found fewer";
  const auto left = LogTexts(d);
  ASSERT_EQ(left.size(), static_cast<size_t>(kMessages / 100 + 1));
  EXPECT_EQ(left.front(), "m100");
  EXPECT_EQ(left.back(), "kept");

  auto again = Prune(d, kStartMs + kMessages + 1);
  ASSERT_EQ(Describe(again), "OK");
  EXPECT_EQ(again->deleted, 0);
  EXPECT_EQ(again->kept_queued, kMessages / 100);
  EXPECT_EQ(again->steps, 1);
}

}  // namespace
}  // namespace caucus::core
