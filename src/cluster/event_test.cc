#include "cluster/event.h"

#include <gtest/gtest.h>

namespace caucus::cluster {
namespace {

TEST(ClusterEventTest, EveryKindRoundTrips) {
  Event attach{Event::Kind::kAttach, "n1", "a1b2", 42, 7, 1700000000123, 4000, 0, 0, {}};
  Event detach{Event::Kind::kDetach, "n1", "a1b2", 42, 7, 0, 0, 0, 0, {}};
  Event ports{Event::Kind::kPorts, "n2", "x", 5, 9, 0, 0, 0, 0, {}};
  Event deliver{Event::Kind::kDeliver,          "n3", "i", 8, 0, 0, 991, 0, 0,
                "MSG 991 t a dm :hi :there\r\n"};
  Event forward{Event::Kind::kForward, "n3", "i", 8, 0, 0, 992, 0, 0, "MSG 992 t a dm :x\r\n"};
  Event handed{Event::Kind::kHanded, "n1", "i", 0, 0, 0, 992, 0, 0, {}};
  Event bcast{Event::Kind::kBroadcast, "n3", "i", 8, 0, 0, 0, 0, 0, "MSG 1 t a broadcast :x\r\n"};
  Event kick{Event::Kind::kKick, "node-a.example:5545", "i", 8, 0, 0, 3, 0, 0, {}};
  Event lockout{Event::Kind::kLockout, "n",           "i",          8, 0, 0, 2,
                1700000009000,         1700000000000, "2001:db8::1"};
  for (const Event& e : {attach, detach, ports, deliver, forward, handed, bcast, kick, lockout,
                         Event{Event::Kind::kSessions, "n", "i", 0, 0, 0, 1, 0, 0, "1,2,3,0"},
                         Event{Event::Kind::kHello, "n", "i", 0, 0, 0, 1, 0, 0, {}},
                         Event{Event::Kind::kGone, "n", "i", 0, 0, 0, 0, 0, 0, "j"},
                         Event{Event::Kind::kChanged, "n", "i", 0, 0, 0, 0, 0, 0, {}}}) {
    const std::string text = Encode(e);
    auto back = Decode(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(Encode(*back), text);
    EXPECT_EQ(back->kind, e.kind);
    EXPECT_EQ(back->node, e.node);
    EXPECT_EQ(back->incarnation, e.incarnation);
    EXPECT_EQ(back->account, e.account);
    EXPECT_EQ(back->lines, e.lines);
  }
  auto a = Decode(Encode(attach));
  EXPECT_EQ(a->session, 7u);
  EXPECT_EQ(a->login_ms, 1700000000123);
  EXPECT_EQ(a->number, 4000);
  EXPECT_EQ(Decode(Encode(deliver))->number, 991);
  EXPECT_EQ(Decode(Encode(forward))->number, 992);
  EXPECT_EQ(Decode(Encode(handed))->number, 992);
  auto l = Decode(Encode(lockout));
  EXPECT_EQ(l->until_ms, 1700000009000);
  EXPECT_EQ(l->last_ms, 1700000000000);
  EXPECT_EQ(l->lines, "2001:db8::1");
  EXPECT_EQ(Encode(Event{Event::Kind::kHello, "n", "i", 0, 0, 0, 1, 0, 0, {}}), "HELLO n i 1");
  EXPECT_EQ(Encode(Event{Event::Kind::kGone, "n", "i", 0, 0, 0, 0, 0, 0, "j"}), "GONE n i :j");
}

TEST(ClusterEventTest, RefusesWhatIsNotAnEvent) {
  for (const char* bad :
       {"", "NOPE n i", "HELLO", "HELLO n", "HELLO n i", "HELLO n i 0 extra", "GONE n i",
        "DETACH n i 1", "DETACH n i x 2", "DETACH n i 1 -2", "DELIVER n i 1 2", "DELIVER n i 1 2 x",
        "HELLO n/x i 0", "HELLO n i/j 0", "ATTACH n i 1 2 3", "SESSIONS n i 1", "FORWARD n i 1 2",
        "HANDED n i", "HANDED n i 1 :x"}) {
    EXPECT_FALSE(Decode(bad)) << bad;
  }
}

TEST(ClusterEventTest, SessionListsRoundTrip) {
  const std::vector<SessionEntry> list = {{42, 7, 1700000000123, 4000}, {43, 8, 1, 0}};
  const std::string text = EncodeSessions(list);
  EXPECT_EQ(text, "42,7,1700000000123,4000 43,8,1,0");
  EXPECT_EQ(DecodeSessions(text), list);
  EXPECT_EQ(DecodeSessions(""), std::vector<SessionEntry>{});
  for (const char* bad : {"1,2,3", "1,2,3,4,5", "1,-2,3,4", "a,2,3,4", "1,2,3,4 x", "1,,3,4"}) {
    EXPECT_FALSE(DecodeSessions(bad)) << bad;
  }
}

TEST(ClusterEventTest, NodeIds) {
  EXPECT_TRUE(IsNodeId("n1"));
  EXPECT_TRUE(IsNodeId("host.example:5545"));
  EXPECT_FALSE(IsNodeId(""));
  EXPECT_FALSE(IsNodeId("a b"));
  EXPECT_FALSE(IsNodeId("a*"));
  EXPECT_FALSE(IsNodeId(std::string(65, 'a')));
}

}  // namespace
}  // namespace caucus::cluster
