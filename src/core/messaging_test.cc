// Messaging on a real store: live delivery, messages stored for offline
// users and handed over after LOGIN (oldest first), broadcasts, blocks and
// HISTORY.
#include "core/messaging.h"

#include <gtest/gtest.h>

#include "core/testing/domain_fixture.h"
#include "protocol/wire_time.h"

namespace caucus::core {
namespace {

using testing::Conn;
using testing::Describe;
using testing::Domain;
using testing::kStartMs;

Outcome<Messaging::Sent> Send(Domain& d, Conn& from, const std::string& to,
                              const std::string& text) {
  return d.Run<Messaging::Sent>(
      [&](Reply<Messaging::Sent> done) { d.messaging().Send(from.session, to, text, done); });
}

Outcome<Messaging::Broadcasted> Broadcast(Domain& d, Conn& from, const std::string& text) {
  return d.Run<Messaging::Broadcasted>([&](Reply<Messaging::Broadcasted> done) {
    d.messaging().Broadcast(from.session, text, done);
  });
}

Outcome<std::string> Block(Domain& d, Conn& c, const std::string& name) {
  return d.Run<std::string>(
      [&](Reply<std::string> done) { d.messaging().Block(c.session, name, done); });
}

Outcome<std::string> Unblock(Domain& d, Conn& c, const std::string& name) {
  return d.Run<std::string>(
      [&](Reply<std::string> done) { d.messaging().Unblock(c.session, name, done); });
}

Outcome<Messaging::HistoryPage> History(Domain& d, Conn& c, const std::string& with,
                                        int64_t before_id, int limit) {
  return d.Run<Messaging::HistoryPage>([&](Reply<Messaging::HistoryPage> done) {
    d.messaging().History(c.session, with, before_id, limit, done);
  });
}

// The MSG event of a direct message.
std::string Dm(int64_t id, TimeMs time, const std::string& from, const std::string& text) {
  return "MSG " + std::to_string(id) + " " + protocol::FormatTime(time) + " " + from +
         " dm :" + text;
}

// Logs `c` in (LOGIN without what follows it: the stored messages stay).
void LoginOnly(Domain& d, Conn& c, const std::string& name) {
  auto o = d.Run<Accounts::LoggedIn>([&](Reply<Accounts::LoggedIn> done) {
    d.accounts().Login(c.session, name, testing::kPassword, done);
  });
  ASSERT_EQ(Describe(o), "OK");
}

TEST(MessagingTest, SendReachesEverySessionOfAnOnlineRecipient) {
  Config c;
  c.multi_login = MultiLogin::kAllow;
  Domain d(c);
  Conn& alice = d.LoggedIn("alice");
  Conn& bob1 = d.LoggedIn("bob");
  Conn& bob2 = d.LoggedIn("bob");
  alice.peer.Take();

  auto sent = Send(d, alice, "BOB", "hello there");
  ASSERT_EQ(Describe(sent), "OK");
  EXPECT_EQ(sent->id, 1);
  EXPECT_EQ(sent->time, kStartMs);
  EXPECT_TRUE(sent->delivered);
  const std::vector<std::string> expected{Dm(1, kStartMs, "alice", "hello there")};
  EXPECT_EQ(bob1.peer.lines, expected);
  EXPECT_EQ(bob2.peer.lines, expected);
  EXPECT_TRUE(alice.peer.lines.empty()) << "not echoed to the sender";
}

TEST(MessagingTest, SendErrors) {
  Config c;
  c.max_text = 10;
  Domain d(c);
  Conn& alice = d.LoggedIn("alice");
  Conn& bob = d.LoggedIn("bob");
  d.Create("carol");
  ASSERT_EQ(Describe(Block(d, bob, "alice")), "OK");

  EXPECT_EQ(Describe(Send(d, alice, "nobody", "hi")), "NO_SUCH_USER");
  EXPECT_EQ(Describe(Send(d, alice, "ALICE", "hi")), "SELF");
  EXPECT_EQ(Describe(Send(d, alice, "bob", "hi")), "BLOCKED");
  EXPECT_EQ(Describe(Send(d, alice, "carol", "")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Send(d, alice, "carol", "12345678901")), "TOO_LONG");
  EXPECT_EQ(Describe(Send(d, alice, "carol", "1234567890")), "OK") << "max_text bytes fit";
  EXPECT_EQ(Describe(Send(d, bob, "alice", "hi")), "OK") << "a block is one way";
}

TEST(MessagingTest, StoredMessagesComeAfterTheLoginReplyOldestFirst) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  Conn& carol = d.LoggedIn("carol");
  d.Create("bob");
  const char* texts[] = {"one", "two", "three", "four"};
  std::vector<std::string> expected;
  for (int i = 0; i < 4; ++i) {
    Conn& from = i == 2 ? carol : alice;
    auto sent = Send(d, from, "bob", texts[i]);
    ASSERT_EQ(Describe(sent), "OK");
    EXPECT_FALSE(sent->delivered) << "stored";
    expected.push_back(Dm(sent->id, sent->time, i == 2 ? "carol" : "alice", texts[i]));
    d.Advance(1000);
  }

  Conn& bob = d.Connect();
  size_t lines_at_reply = 99;
  size_t lines_at_settled = 99;
  d.caucus().Login(
      bob.session, "bob", testing::kPassword,
      [&](Outcome<Accounts::LoggedIn> o) {
        EXPECT_TRUE(o.ok());
        lines_at_reply = bob.peer.lines.size();
      },
      [&] { lines_at_settled = bob.peer.lines.size(); });
  d.Pump();
  EXPECT_EQ(lines_at_reply, 0u) << "the reply comes first";
  EXPECT_EQ(lines_at_settled, 4u) << "the session waits until all are handed over";
  EXPECT_EQ(bob.peer.lines, expected);
  EXPECT_FALSE(d.directory().Find("bob")->maybe_queued);

  // Handed over once only.
  d.End(bob);
  Conn& again = d.Connect();
  ASSERT_EQ(Describe(d.Login(again, "bob")), "OK");
  EXPECT_TRUE(again.peer.lines.empty());
}

TEST(MessagingTest, StoredMessagesComeAfterAResumeToo) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  d.Create("carol");
  Conn& carol = d.Connect();
  auto in = d.Login(carol, "carol");
  ASSERT_EQ(Describe(in), "OK");
  d.End(carol, "dropped");
  auto stored = Send(d, alice, "carol", "see you");
  ASSERT_EQ(Describe(stored), "OK");
  ASSERT_FALSE(stored->delivered);

  Conn& back = d.Connect();
  ASSERT_EQ(Describe(d.Resume(back, in->token)), "OK");
  EXPECT_EQ(back.peer.lines,
            std::vector<std::string>{Dm(stored->id, stored->time, "alice", "see you")});
}

TEST(MessagingTest, LiveMessagesFollowTheStoredOnes) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  d.Create("bob");
  auto stored = Send(d, alice, "bob", "while you were out");
  ASSERT_EQ(Describe(stored), "OK");
  Conn& bob = d.LoggedIn("bob");
  d.Advance(10);
  auto live = Send(d, alice, "bob", "welcome back");
  ASSERT_EQ(Describe(live), "OK");
  EXPECT_TRUE(live->delivered);
  EXPECT_GT(live->id, stored->id);
  EXPECT_EQ(bob.peer.lines,
            (std::vector<std::string>{Dm(stored->id, stored->time, "alice", "while you were out"),
                                      Dm(live->id, live->time, "alice", "welcome back")}));
}

TEST(MessagingTest, MessagesFromABlockedSenderStayStoredUntilUnblocked) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  Conn& carol = d.LoggedIn("carol");
  d.Create("bob");
  auto from_alice = Send(d, alice, "bob", "from alice");
  auto from_carol = Send(d, carol, "bob", "from carol");
  ASSERT_EQ(Describe(from_alice), "OK");
  ASSERT_EQ(Describe(from_carol), "OK");

  // Bob blocks alice before the stored messages are handed to him.
  Conn& quick = d.Connect();
  LoginOnly(d, quick, "bob");
  ASSERT_EQ(Describe(Block(d, quick, "alice")), "OK");
  d.End(quick);

  Conn& bob = d.Connect();
  ASSERT_EQ(Describe(d.Login(bob, "bob")), "OK");
  EXPECT_EQ(bob.peer.Take(),
            std::vector<std::string>{Dm(from_carol->id, from_carol->time, "carol", "from carol")});
  EXPECT_TRUE(d.directory().Find("bob")->maybe_queued) << "one is still stored";

  ASSERT_EQ(Describe(Unblock(d, bob, "alice")), "OK");
  d.End(bob);
  Conn& later = d.Connect();
  ASSERT_EQ(Describe(d.Login(later, "bob")), "OK");
  EXPECT_EQ(later.peer.lines,
            std::vector<std::string>{Dm(from_alice->id, from_alice->time, "alice", "from alice")});
}

TEST(MessagingTest, SendersWaitForTheirCommitPastTheLogBound) {
  Config c;
  c.log_writes_in_flight = 1;
  Domain d(c);
  Conn& alice = d.LoggedIn("alice");
  d.LoggedIn("bob");
  std::vector<std::string> answers;
  auto note = [&](Outcome<Messaging::Sent> o) { answers.push_back(Describe(o)); };
  d.messaging().Send(alice.session, "bob", "first", note);
  EXPECT_EQ(answers.size(), 1u) << "under the bound: answered before the commit";
  d.messaging().Send(alice.session, "bob", "second", note);
  EXPECT_EQ(answers.size(), 1u) << "at the bound: answered after its commit";
  d.Pump();
  EXPECT_EQ(answers, (std::vector<std::string>{"OK", "OK"}));
}

TEST(MessagingTest, BroadcastSkipsTheSenderAndThoseWhoBlockIt) {
  Config c;
  c.max_text = 10;
  Domain d(c);
  Conn& alice = d.LoggedIn("alice");
  Conn& bob = d.LoggedIn("bob");
  Conn& carol = d.LoggedIn("carol");
  Conn& dave = d.LoggedIn("dave");
  d.Create("erin");  // offline: not counted
  ASSERT_EQ(Describe(Block(d, dave, "alice")), "OK");
  for (Conn* c : {&alice, &bob, &carol, &dave}) c->peer.Take();

  auto sent = Broadcast(d, alice, "hi all");
  ASSERT_EQ(Describe(sent), "OK");
  EXPECT_EQ(sent->delivered, 2);
  EXPECT_EQ(sent->withheld, 1);
  const std::vector<std::string> line{"MSG " + std::to_string(sent->id) + " " +
                                      protocol::FormatTime(sent->time) +
                                      " alice broadcast :hi all"};
  EXPECT_EQ(bob.peer.lines, line);
  EXPECT_EQ(carol.peer.lines, line);
  EXPECT_TRUE(dave.peer.lines.empty());
  EXPECT_TRUE(alice.peer.lines.empty());

  EXPECT_EQ(Describe(Broadcast(d, alice, "")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Broadcast(d, alice, "12345678901")), "TOO_LONG");
}

TEST(MessagingTest, BlockAndUnblock) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  d.Create("Bob");
  d.Create("carol");

  EXPECT_EQ(Describe(Block(d, alice, "nobody")), "NO_SUCH_USER");
  EXPECT_EQ(Describe(Block(d, alice, "alice")), "SELF");
  auto blocked = Block(d, alice, "BOB");
  ASSERT_EQ(Describe(blocked), "OK");
  EXPECT_EQ(blocked.value(), "Bob") << "the name as registered";
  EXPECT_EQ(Describe(Block(d, alice, "bob")), "ALREADY_BLOCKED");
  ASSERT_EQ(Describe(Block(d, alice, "carol")), "OK");
  EXPECT_EQ(d.messaging().Blocks(*alice.session), (std::vector<std::string>{"Bob", "carol"}));

  store::Result<std::vector<store::Block>> saved;
  d.store().LoadBlocks([&](auto r) { saved = std::move(r); });
  d.Pump();
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->size(), 2u) << "blocks are durable";

  EXPECT_EQ(Describe(Unblock(d, alice, "nobody")), "NO_SUCH_USER");
  ASSERT_EQ(Describe(Unblock(d, alice, "bob")), "OK");
  EXPECT_EQ(Describe(Unblock(d, alice, "bob")), "NOT_BLOCKED");
  EXPECT_EQ(Describe(Unblock(d, alice, "alice")), "NOT_BLOCKED");
  EXPECT_EQ(d.messaging().Blocks(*alice.session), std::vector<std::string>{"carol"});
}

TEST(MessagingTest, HistoryPagesBackwardsAndListsOldestFirst) {
  Config c;
  c.history_page = 3;
  Domain d(c);
  Conn& alice = d.LoggedIn("alice");
  Conn& carol = d.LoggedIn("carol");
  d.Create("bob");
  std::vector<int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    auto sent = Send(d, alice, "bob", "m" + std::to_string(i));  // stored
    ASSERT_EQ(Describe(sent), "OK");
    ids.push_back(sent->id);
    ASSERT_EQ(Describe(Send(d, carol, "bob", "not between them")), "OK");
  }
  Conn& bob = d.LoggedIn("bob");
  auto reply = Send(d, bob, "alice", "m4");  // live
  ASSERT_EQ(Describe(reply), "OK");
  ids.push_back(reply->id);

  EXPECT_EQ(Describe(History(d, alice, "nobody", INT64_MAX, 10)), "NO_SUCH_USER");
  auto page = History(d, alice, "BOB", INT64_MAX, 10);
  ASSERT_EQ(Describe(page), "OK");
  EXPECT_EQ(page->with, "bob");
  ASSERT_EQ(page->messages.size(), 3u) << "capped at history_page";
  EXPECT_EQ(page->messages[0].id, ids[2]);
  EXPECT_EQ(page->messages[1].id, ids[3]);
  EXPECT_EQ(page->messages[2].id, ids[4]);
  EXPECT_EQ(page->messages[2].text, "m4");

  auto earlier = History(d, bob, "alice", ids[2], 2);
  ASSERT_EQ(Describe(earlier), "OK");
  ASSERT_EQ(earlier->messages.size(), 2u);
  EXPECT_EQ(earlier->messages[0].id, ids[0]);
  EXPECT_EQ(earlier->messages[1].text, "m1");
}

}  // namespace
}  // namespace caucus::core
