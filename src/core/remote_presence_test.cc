// Other nodes' presence events (ATTACH, DETACH, PORTS) for an account this
// node has not read yet, one made a moment ago elsewhere: they wait for the
// change feed and are applied in the order they came (Caucus::RemotePresence).
#include <gtest/gtest.h>

#include "core/caucus.h"
#include "core/testing/domain_fixture.h"

namespace caucus::core {
namespace {

using testing::Domain;

// An account another process made, not in this node's caches yet.
AccountId MadeElsewhere(Domain& d, const std::string& name) {
  store::Result<AccountId> made;
  d.store().CreateAccount(
      {name, testing::FakeHasher::HashOf(testing::kPassword), false, testing::kStartMs},
      [&](auto r) { made = std::move(r); });
  d.Pump();
  EXPECT_TRUE(made.ok());
  EXPECT_EQ(d.directory().Find(name), nullptr) << "not in the caches yet";
  return made.ok() ? *made : 0;
}

TEST(RemotePresenceTest, AnAttachForAnAccountNotReadYetComesOnlineOnceItIsRead) {
  Domain d;
  const AccountId erin = MadeElsewhere(d, "erin");
  d.caucus().RemoteAttached(erin, RemoteSession{2, 5, testing::kStartMs, 0});
  d.Pump();
  const Account* a = d.directory().Find("erin");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->online());
}

// The DETACH came while the account was being read: applied before the
// ATTACH it follows, it would have left erin online here for good (seen in
// a cluster test: a session opened and closed at once on another node).
TEST(RemotePresenceTest, ADetachWhileTheAccountIsReadIsAppliedAfterItsAttach) {
  Domain d;
  const AccountId erin = MadeElsewhere(d, "erin");
  d.caucus().RemoteAttached(erin, RemoteSession{2, 5, testing::kStartMs, 0});
  d.caucus().RemotePorts(erin, 2, 5, 4000);
  d.caucus().RemoteDetached(erin, 2, 5);
  d.Pump();
  const Account* a = d.directory().Find("erin");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->online());
}

TEST(RemotePresenceTest, ANodeGoneWhileItsAttachWaitsLeavesNobodyOnline) {
  Domain d;
  const AccountId erin = MadeElsewhere(d, "erin");
  d.caucus().RemoteAttached(erin, RemoteSession{2, 5, testing::kStartMs, 0});
  d.caucus().RemoteAttached(erin, RemoteSession{3, 6, testing::kStartMs, 0});
  d.caucus().RemoteNodeGone(2);
  d.Pump();
  const Account* a = d.directory().Find("erin");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->remote.size(), 1u);
  EXPECT_EQ(a->remote[0].node, 3);
}

}  // namespace
}  // namespace caucus::core
