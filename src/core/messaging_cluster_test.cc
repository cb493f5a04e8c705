// Messaging with several nodes, the other nodes played by the test: a
// direct message to an account online only elsewhere is forwarded while it
// is stored, and leaves the queue only once it is both committed and handed
// over (FORWARD and HANDED, core/cluster.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/testing/domain_fixture.h"

namespace caucus::core {
namespace {

using testing::Conn;
using testing::Domain;

// The other nodes, as far as the domain can tell: what it told them.
class RecordingCluster final : public Cluster {
 public:
  struct Forwarded {
    AccountId to;
    std::string line;
    int64_t id;
  };
  void Attached(const Session&) override {}
  void Detached(const Session&) override {}
  void PortsChanged(const Session&) override {}
  void DeliverTo(const Account& account, const protocol::SharedLine& line,
                 int64_t stored_id) override {
    delivered.push_back({account.id, std::string(line.view()), stored_id});
  }
  void Forward(const Account& account, const protocol::SharedLine& line, int64_t id) override {
    forwarded.push_back({account.id, std::string(line.view()), id});
  }
  void Broadcast(AccountId, const protocol::SharedLine&) override {}
  void Kick(const Account&, protocol::Bye) override {}
  void Changed() override {}
  void Invite(const Account&, AccountId, const std::string&, const std::string&) override {}
  void Answer(NodeSlot, const std::string&, const std::string&) override {}
  void Uninvite(const Account&, const std::string&) override {}
  uint64_t published() const override { return 0; }
  void Sync(std::function<void()> done) override { done(); }
  void LockoutChanged(const store::LockoutRecord&) override {}
  void Awake() override {}

  std::vector<Forwarded> forwarded;
  std::vector<Forwarded> delivered;
};

class MessagingClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    d_.caucus().SetCluster(&cluster_);
    bob_ = d_.Create("bob");
    // bob is online on node 1 only.
    d_.caucus().RemoteAttached(bob_, RemoteSession{1, 77, testing::kStartMs, 0});
    // The first message waits for a block of ids from the store; the
    // tests' messages do not.
    d_.messaging().Send(alice().session, "bob", "warm-up", [](auto) {});
    d_.Pump();
    ASSERT_EQ(cluster_.forwarded.size(), 1u);
    d_.caucus().RemoteHandedOver(cluster_.forwarded[0].id);
    d_.Pump();
    cluster_.forwarded.clear();
  }
  void TearDown() override { d_.caucus().SetCluster(nullptr); }

  // alice's SEND to bob, not yet committed: its id.
  int64_t SendUncommitted() {
    Conn& a = alice();
    answered_ = false;
    d_.messaging().Send(a.session, "bob", "hi bob", [this](Outcome<Messaging::Sent> o) {
      ASSERT_TRUE(o.ok());
      EXPECT_TRUE(o.value().delivered);
      answered_ = true;
    });
    EXPECT_FALSE(answered_) << "answered before the commit";
    EXPECT_EQ(cluster_.forwarded.size(), 1u) << "forwarded before the commit";
    return cluster_.forwarded.empty() ? 0 : cluster_.forwarded.back().id;
  }
  Conn& alice() {
    if (alice_ == nullptr) alice_ = &d_.LoggedIn("alice");
    return *alice_;
  }
  // The ids queued for bob.
  std::vector<int64_t> Queued() {
    std::vector<int64_t> ids;
    d_.store().TakeQueued(bob_, [&](store::Result<std::vector<store::MessageRecord>> r) {
      ASSERT_TRUE(r.ok());
      for (const auto& m : *r) ids.push_back(m.id);
    });
    d_.Pump();
    return ids;
  }

  Domain d_;
  RecordingCluster cluster_;
  AccountId bob_ = 0;
  Conn* alice_ = nullptr;
  bool answered_ = false;
};

TEST_F(MessagingClusterTest, ForwardedAtOnceAndTheLineIsTheMsgEvent) {
  const int64_t id = SendUncommitted();
  ASSERT_NE(id, 0);
  EXPECT_EQ(cluster_.forwarded[0].to, bob_);
  EXPECT_NE(cluster_.forwarded[0].line.find("MSG " + std::to_string(id) + " "), std::string::npos)
      << cluster_.forwarded[0].line;
  EXPECT_NE(cluster_.forwarded[0].line.find(" alice dm :hi bob"), std::string::npos);
  d_.Pump();
  EXPECT_TRUE(answered_);
}

TEST_F(MessagingClusterTest, HandedOverBeforeTheCommitLeavesTheQueueAfterIt) {
  const int64_t id = SendUncommitted();
  d_.caucus().RemoteHandedOver(id);  // the other node was quicker than the store
  d_.Pump();
  EXPECT_TRUE(answered_);
  EXPECT_EQ(Queued(), std::vector<int64_t>{});
}

TEST_F(MessagingClusterTest, HandedOverAfterTheCommitLeavesTheQueueThen) {
  const int64_t id = SendUncommitted();
  d_.Pump();
  EXPECT_TRUE(answered_);
  EXPECT_EQ(Queued(), std::vector<int64_t>{id});
  d_.caucus().RemoteHandedOver(id);
  d_.Pump();
  EXPECT_EQ(Queued(), std::vector<int64_t>{});
  d_.caucus().RemoteHandedOver(id);  // twice (two nodes had sessions): harmless
  d_.Pump();
}

TEST_F(MessagingClusterTest, NeverHandedOverStaysQueuedForTheNextLogin) {
  const int64_t id = SendUncommitted();
  d_.Pump();
  EXPECT_EQ(Queued(), std::vector<int64_t>{id});
  // bob's node went away without handing it over; bob logs in here.
  d_.caucus().RemoteNodeGone(1);
  Conn& b = d_.Connect();
  ASSERT_EQ(testing::Describe(d_.Login(b, "bob")), "OK");
  const auto lines = b.peer.Take();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("MSG " + std::to_string(id) + " ", 0), 0u) << lines[0];
}

TEST_F(MessagingClusterTest, AForwardedMessageReachingThisNodeIsHandedOverOnce) {
  Conn& b = d_.LoggedIn("carol");
  const AccountId carol = b.session->account->id;
  b.peer.Take();
  const auto line = Messaging::FormatMsg(4242, testing::kStartMs, "dave", "dm", "hello");
  EXPECT_TRUE(d_.caucus().RemoteForward(carol, line, 4242));
  EXPECT_TRUE(d_.caucus().RemoteForward(carol, line, 4242));  // again: answered, not shown
  EXPECT_EQ(b.peer.Take().size(), 1u);
  // Nobody here for bob: not handed over, so no answer.
  EXPECT_FALSE(d_.caucus().RemoteForward(bob_, line, 4243));
}

}  // namespace
}  // namespace caucus::core

namespace caucus::core {
namespace {

// A message stored for an account this node thought offline, whose session
// on another node this node hears of only after the commit: that node may
// have read the queue before the message was in it, so it is sent there.
TEST_F(MessagingClusterTest, StoredForAnAccountThoughtOfflineIsSentWhenItsSessionIsHeard) {
  const AccountId carol = d_.Create("carol");
  int64_t id = 0;
  d_.messaging().Send(alice().session, "carol", "while you were away",
                      [&](Outcome<Messaging::Sent> o) {
                        ASSERT_TRUE(o.ok());
                        EXPECT_FALSE(o.value().delivered);
                        id = o.value().id;
                      });
  d_.Pump();
  ASSERT_NE(id, 0);
  EXPECT_TRUE(cluster_.delivered.empty()) << "nobody to send it to yet";

  d_.caucus().RemoteAttached(carol, RemoteSession{2, 91, testing::kStartMs, 0});
  d_.Pump();
  ASSERT_EQ(cluster_.delivered.size(), 1u);
  EXPECT_EQ(cluster_.delivered[0].to, carol);
  EXPECT_EQ(cluster_.delivered[0].id, id) << "by its id: handed over once, then acknowledged";
  EXPECT_NE(cluster_.delivered[0].line.find(" alice dm :while you were away"), std::string::npos)
      << cluster_.delivered[0].line;

  // Once is enough: a second session heard of sends nothing again.
  d_.caucus().RemoteAttached(carol, RemoteSession{3, 92, testing::kStartMs, 0});
  d_.Pump();
  EXPECT_EQ(cluster_.delivered.size(), 1u);
}

// Nothing stored here for it: hearing of its session costs nothing.
TEST_F(MessagingClusterTest, ASessionHeardOfWithNothingStoredHereSendsNothing) {
  const AccountId dave = d_.Create("dave");
  d_.caucus().RemoteAttached(dave, RemoteSession{2, 93, testing::kStartMs, 0});
  d_.Pump();
  EXPECT_TRUE(cluster_.delivered.empty());
}

}  // namespace
}  // namespace caucus::core
