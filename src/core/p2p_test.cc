// PeerBroker: announced ports, invitations and their answers, expiry by
// the scheduler, and what goes when a session ends.
#include "core/p2p.h"

#include <gtest/gtest.h>

#include "core/testing/domain_fixture.h"

namespace caucus::core {
namespace {

using testing::Conn;
using testing::Describe;
using testing::Domain;

// Alice and bob online from their own addresses, bob taking invitations on
// ports 5000 (TCP) and 5001 (UDP).
struct TwoPeers {
  explicit TwoPeers(Config config = {}) : d(std::move(config)) {
    d.peers().Announce(*bob.session, 5000, 5001);
    alice.peer.Take();
  }
  Domain d;
  Conn& alice = d.LoggedIn("alice", "10.0.0.1");
  Conn& bob = d.LoggedIn("bob", "10.0.0.2");
};

TEST(PeerBrokerTest, AnnounceRecordsAndWithdrawsPorts) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  EXPECT_EQ(d.peers().Announce(*alice.session, 5000, 5001), std::make_pair(5000, 5001));
  EXPECT_EQ(alice.session->p2p_tcp, 5000);
  EXPECT_EQ(alice.session->p2p_udp, 5001);
  EXPECT_EQ(d.peers().Announce(*alice.session, 6000, 0), std::make_pair(6000, 0));
  EXPECT_EQ(d.peers().Announce(*alice.session, 0, 7000), std::make_pair(0, 0))
      << "withdrawing TCP withdraws UDP too";
  EXPECT_EQ(alice.session->p2p_udp, 0);
}

TEST(PeerBrokerTest, InviteErrors) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  Conn& bob = d.LoggedIn("bob");
  Conn& carol = d.LoggedIn("carol");
  Conn& dave = d.LoggedIn("dave");
  d.Create("erin");
  for (Conn* c : {&bob, &carol, &dave}) d.peers().Announce(*c->session, 5000, 0);
  // Carol blocks alice.
  auto blocked = d.Run<std::string>(
      [&](Reply<std::string> done) { d.messaging().Block(carol.session, "alice", done); });
  ASSERT_EQ(Describe(blocked), "OK");
  d.peers().Announce(*dave.session, 0, 0);
  for (Conn* c : {&alice, &bob, &carol, &dave}) c->peer.Take();

  EXPECT_EQ(Describe(d.peers().Invite(alice.session, "nobody", std::nullopt)), "NO_SUCH_USER");
  EXPECT_EQ(Describe(d.peers().Invite(alice.session, "Alice", std::nullopt)), "SELF");
  EXPECT_EQ(Describe(d.peers().Invite(alice.session, "carol", std::nullopt)), "BLOCKED");
  EXPECT_EQ(Describe(d.peers().Invite(alice.session, "erin", std::nullopt)), "NOT_ONLINE");
  EXPECT_EQ(Describe(d.peers().Invite(alice.session, "dave", std::nullopt)), "NO_P2P");
  EXPECT_EQ(Describe(d.peers().Invite(alice.session, "BOB", std::nullopt)), "OK");
  EXPECT_TRUE(carol.peer.lines.empty());
  EXPECT_TRUE(dave.peer.lines.empty());
  EXPECT_EQ(bob.peer.lines.size(), 1u);
}

TEST(PeerBrokerTest, InvitationsGoToTheSessionsThatTakeThem) {
  Config c;
  c.multi_login = MultiLogin::kAllow;
  TwoPeers t(c);
  Conn& bob_elsewhere = t.d.LoggedIn("bob", "10.0.0.3");  // no ports announced
  auto chat = t.d.peers().Invite(t.alice.session, "bob", std::nullopt);
  ASSERT_EQ(Describe(chat), "OK");
  EXPECT_EQ(chat.value().size(), 16u);
  EXPECT_EQ(t.bob.peer.Take(), std::vector<std::string>{"INVITED " + chat.value() + " alice chat"});
  EXPECT_TRUE(bob_elsewhere.peer.lines.empty());
  EXPECT_EQ(Describe(t.d.peers().Accept(bob_elsewhere.session, chat.value())), "NO_SUCH_INVITE")
      << "a session without ports cannot accept";
  EXPECT_EQ(Describe(t.d.peers().Decline(bob_elsewhere.session, chat.value())), "NO_SUCH_INVITE");

  PeerBroker::FileOffer offer{1234, std::string(64, 'a'), "holiday photos.tar"};
  auto file = t.d.peers().Invite(t.alice.session, "bob", offer);
  ASSERT_EQ(Describe(file), "OK");
  EXPECT_NE(file.value(), chat.value());
  EXPECT_EQ(t.bob.peer.Take(),
            std::vector<std::string>{"INVITED " + file.value() + " alice file 1234 " +
                                     std::string(64, 'a') + " :holiday photos.tar"});
}

TEST(PeerBrokerTest, AcceptGivesTheInviterTheAddressAndBothTheTicket) {
  TwoPeers t;
  const std::string id = t.d.peers().Invite(t.alice.session, "bob", std::nullopt).value();
  EXPECT_EQ(t.d.scheduler().pending(), 1u) << "the expiry";
  EXPECT_EQ(Describe(t.d.peers().Accept(t.alice.session, id)), "NO_SUCH_INVITE")
      << "only the invitee accepts";
  EXPECT_EQ(Describe(t.d.peers().Accept(t.bob.session, "nosuchid")), "NO_SUCH_INVITE");

  auto ticket = t.d.peers().Accept(t.bob.session, id);
  ASSERT_EQ(Describe(ticket), "OK");
  EXPECT_EQ(ticket.value().size(), 32u);
  EXPECT_EQ(
      t.alice.peer.Take(),
      std::vector<std::string>{"ACCEPTED " + id + " bob 10.0.0.2 5000 5001 " + ticket.value()});
  EXPECT_EQ(t.d.scheduler().pending(), 0u) << "the expiry is cancelled";
  EXPECT_EQ(Describe(t.d.peers().Accept(t.bob.session, id)), "NO_SUCH_INVITE") << "once only";
  EXPECT_EQ(Describe(t.d.peers().Decline(t.bob.session, id)), "NO_SUCH_INVITE");
}

TEST(PeerBrokerTest, AcceptWithoutAUdpPortSaysSo) {
  TwoPeers t;
  t.d.peers().Announce(*t.bob.session, 5000, 0);
  const std::string id = t.d.peers().Invite(t.alice.session, "bob", std::nullopt).value();
  const std::string ticket = t.d.peers().Accept(t.bob.session, id).value();
  EXPECT_EQ(t.alice.peer.Take(),
            std::vector<std::string>{"ACCEPTED " + id + " bob 10.0.0.2 5000 - " + ticket});
}

TEST(PeerBrokerTest, DeclineTellsTheInviter) {
  TwoPeers t;
  const std::string id = t.d.peers().Invite(t.alice.session, "bob", std::nullopt).value();
  EXPECT_EQ(Describe(t.d.peers().Decline(t.alice.session, id)), "NO_SUCH_INVITE");
  EXPECT_EQ(Describe(t.d.peers().Decline(t.bob.session, id)), "OK");
  EXPECT_EQ(t.alice.peer.Take(), std::vector<std::string>{"DECLINED " + id + " bob"});
  EXPECT_EQ(t.d.scheduler().pending(), 0u);
  EXPECT_EQ(Describe(t.d.peers().Accept(t.bob.session, id)), "NO_SUCH_INVITE");
}

TEST(PeerBrokerTest, AnInvitationExpiresAfterItsLifetime) {
  TwoPeers t;
  const std::string id = t.d.peers().Invite(t.alice.session, "bob", std::nullopt).value();
  t.d.Advance(PeerBroker::kInviteLifetimeMs - 1);
  EXPECT_TRUE(t.alice.peer.lines.empty());
  t.d.Advance(1);
  EXPECT_EQ(t.alice.peer.Take(), std::vector<std::string>{"DECLINED " + id + " bob"});
  EXPECT_EQ(Describe(t.d.peers().Accept(t.bob.session, id)), "NO_SUCH_INVITE");
  EXPECT_EQ(t.d.scheduler().pending(), 0u);
}

TEST(PeerBrokerTest, TheInvitersEndForgetsItsInvitations) {
  TwoPeers t;
  const std::string id = t.d.peers().Invite(t.alice.session, "bob", std::nullopt).value();
  t.d.End(t.alice);
  EXPECT_EQ(t.d.scheduler().pending(), 0u);
  EXPECT_EQ(Describe(t.d.peers().Accept(t.bob.session, id)), "NO_SUCH_INVITE");
  EXPECT_TRUE(t.alice.peer.lines.empty()) << "nobody left to tell";
}

TEST(PeerBrokerTest, InvitationsAreDeclinedWhenTheInviteeCannotTakeThemAnyMore) {
  Config c;
  c.multi_login = MultiLogin::kAllow;
  TwoPeers t(c);
  Conn& bob2 = t.d.LoggedIn("bob", "10.0.0.3");
  t.d.peers().Announce(*bob2.session, 6000, 0);
  const std::string first = t.d.peers().Invite(t.alice.session, "bob", std::nullopt).value();

  t.d.End(t.bob);
  EXPECT_TRUE(t.alice.peer.lines.empty()) << "bob's other session still takes invitations";
  auto ticket = t.d.peers().Accept(bob2.session, first);
  ASSERT_EQ(Describe(ticket), "OK");
  EXPECT_EQ(
      t.alice.peer.Take(),
      std::vector<std::string>{"ACCEPTED " + first + " bob 10.0.0.3 6000 - " + ticket.value()});

  const std::string second = t.d.peers().Invite(t.alice.session, "bob", std::nullopt).value();
  t.d.peers().Announce(*bob2.session, 0, 0);
  EXPECT_EQ(t.alice.peer.Take(), std::vector<std::string>{"DECLINED " + second + " bob"})
      << "withdrawn ports decline";

  t.d.peers().Announce(*bob2.session, 6000, 0);
  const std::string third = t.d.peers().Invite(t.alice.session, "bob", std::nullopt).value();
  t.d.End(bob2);
  const auto lines = t.alice.peer.Take();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "DECLINED " + third + " bob") << "the last session went";
  EXPECT_EQ(lines[1].rfind("PRESENCE bob offline ", 0), 0u) << lines[1];
  EXPECT_EQ(t.d.scheduler().pending(), 0u);
}

}  // namespace
}  // namespace caucus::core
