#include "core/presence.h"

#include <gtest/gtest.h>

#include "core/peer.h"

namespace caucus::core {
namespace {

class ManualClock : public Clock {
 public:
  TimeMs Now() const override { return now; }
  TimeMs now = 1'000'000;
};

class RecordingPeer : public Peer {
 public:
  void Deliver(const protocol::SharedLine& e) override { events.emplace_back(e.view()); }
  void End(protocol::Bye) override {}
  std::vector<std::string> events;
};

struct Client {
  RecordingPeer peer;
  Session session;
};

class PresenceTest : public ::testing::Test {
 protected:
  Account& Add(AccountId id, const std::string& name) {
    return directory_.Upsert({id, name, false, 0, 0});
  }
  void Login(Client& c, Account& a) {
    c.session.peer = &c.peer;
    c.session.account = &a;
    c.session.login_ms = clock_.now;
    presence_.Attach(c.session);
  }
  ManualClock clock_;
  Directory directory_;
  Presence presence_{directory_, clock_};
};

TEST_F(PresenceTest, AnnouncesPerAccountNotPerSession) {
  Account& alice = Add(1, "alice");
  Account& bob = Add(2, "bob");
  Client a, b1, b2;
  Login(a, alice);
  Login(b1, bob);
  ASSERT_EQ(a.peer.events.size(), 1u);
  EXPECT_EQ(a.peer.events[0], "PRESENCE bob online 1970-01-01T00:16:40.000Z\n");
  EXPECT_TRUE(b1.peer.events.empty()) << "not to the subject";
  Login(b2, bob);
  EXPECT_EQ(a.peer.events.size(), 1u) << "a second session is not news";
  presence_.Detach(b1.session);
  EXPECT_EQ(a.peer.events.size(), 1u);
  clock_.now += 5000;
  EXPECT_TRUE(presence_.Detach(b2.session));
  ASSERT_EQ(a.peer.events.size(), 2u);
  EXPECT_EQ(a.peer.events[1], "PRESENCE bob offline 1970-01-01T00:16:45.000Z\n");
  EXPECT_EQ(presence_.online().size(), 1u);
}

TEST_F(PresenceTest, BlockedUsersHearNothingAndSeeNothing) {
  Account& alice = Add(1, "alice");
  Account& bob = Add(2, "bob");
  Account& carol = Add(3, "carol");
  bob.blocked = {1};  // bob blocks alice
  Client a, c, b;
  Login(a, alice);
  Login(c, carol);
  Login(b, bob);
  EXPECT_EQ(a.peer.events.size(), 1u) << "only carol's arrival";
  EXPECT_EQ(c.peer.events.size(), 1u) << "bob's arrival";
  auto who = presence_.Who(alice, std::nullopt);
  ASSERT_EQ(who.size(), 1u);
  EXPECT_EQ(who[0].account->name, "carol");
  EXPECT_EQ(presence_.Who(bob, std::nullopt).size(), 2u) << "bob still sees alice";
}

TEST_F(PresenceTest, WhoSecondsListsRecentlyOffline) {
  Account& alice = Add(1, "alice");
  Account& bob = Add(2, "bob");
  Add(3, "never");
  Client a, b;
  Login(a, alice);
  Login(b, bob);
  presence_.Detach(b.session);
  clock_.now += 10'000;
  auto recent = presence_.Who(alice, 60);
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].account->name, "bob");
  EXPECT_FALSE(recent[0].online);
  EXPECT_TRUE(presence_.Who(alice, 5).empty());
}

TEST_F(PresenceTest, OnlineListStaysConsistentAfterRemovals) {
  std::vector<Client> clients(50);
  for (int i = 0; i < 50; ++i) Login(clients[i], Add(i + 1, "u" + std::to_string(i)));
  for (int i = 0; i < 50; i += 3) presence_.Detach(clients[i].session);
  for (size_t slot = 0; slot < presence_.online().size(); ++slot) {
    EXPECT_EQ(presence_.online()[slot]->online_slot, slot);
  }
  EXPECT_EQ(presence_.online().size(), 33u);
}

TEST_F(PresenceTest, ANodesSessionListDropsWhatItNoLongerHasWithoutFlicker) {
  Account& alice = Add(1, "alice");
  Account& bob = Add(2, "bob");
  Account& carol = Add(3, "carol");
  Client watcher;
  Login(watcher, alice);
  // Node 7 had bob (two sessions) and carol; a DETACH of carol and of one
  // of bob's sessions was lost with the bus.
  presence_.RemoteAttach(bob, {7, 10, clock_.now, 0});
  presence_.RemoteAttach(bob, {7, 11, clock_.now, 0});
  presence_.RemoteAttach(carol, {7, 12, clock_.now, 0});
  presence_.RemoteAttach(carol, {8, 12, clock_.now, 0});  // same id, another node
  watcher.peer.events.clear();
  presence_.RemoteSnapshot(7, {11});
  ASSERT_EQ(bob.remote.size(), 1u);
  EXPECT_EQ(bob.remote[0].session, 11u);
  ASSERT_EQ(carol.remote.size(), 1u) << "node 8's session stays";
  EXPECT_EQ(carol.remote[0].node, 8);
  EXPECT_TRUE(watcher.peer.events.empty()) << "bob and carol stayed online";
  presence_.RemoteSnapshot(8, {});
  ASSERT_EQ(watcher.peer.events.size(), 1u);
  EXPECT_EQ(watcher.peer.events[0].rfind("PRESENCE carol offline", 0), 0u);
  EXPECT_FALSE(carol.online());
  EXPECT_TRUE(bob.online());
}

}  // namespace
}  // namespace caucus::core
