#include "bench/spread.h"

#include <gtest/gtest.h>

#include <vector>

namespace caucus::bench {
namespace {

TEST(SpreadTest, ConnectionGoesToIndexModServers) {
  struct Case {
    int64_t index;
    int servers;
    int server;
  };
  for (const Case& c : {Case{0, 1, 0}, Case{7, 1, 0}, Case{0, 3, 0}, Case{1, 3, 1}, Case{2, 3, 2},
                        Case{3, 3, 0}, Case{999, 3, 0}, Case{1000, 3, 1}}) {
    EXPECT_EQ(ServerFor(c.index, c.servers), c.server) << c.index << " of " << c.servers;
  }
}

TEST(SpreadTest, ConnectionsOnCountsWhatServerForSends) {
  for (int servers : {1, 2, 3, 7}) {
    for (int64_t total : {0, 1, 2, 3, 10, 1000, 18001}) {
      std::vector<int64_t> counted(servers);
      for (int64_t i = 0; i < total; ++i) ++counted[ServerFor(i, servers)];
      int64_t sum = 0;
      for (int s = 0; s < servers; ++s) {
        EXPECT_EQ(ConnectionsOn(s, total, servers), counted[s]) << s << " " << total;
        sum += ConnectionsOn(s, total, servers);
      }
      EXPECT_EQ(sum, total);
    }
  }
}

TEST(SpreadTest, ParsesPairsOn) {
  EXPECT_EQ(ParsePairsOn("same"), PairsOn::kSame);
  EXPECT_EQ(ParsePairsOn("across"), PairsOn::kAcross);
  EXPECT_FALSE(ParsePairsOn("index").has_value());
  EXPECT_FALSE(ParsePairsOn("").has_value());
  EXPECT_STREQ(PairsOnName(PairsOn::kAcross), "across");
}

TEST(SpreadTest, PairsByIndexFollowTheirUsers) {
  const PairServers p = ServersOfPair(1, 3, PairsOn::kByIndex);  // users 2 and 3
  EXPECT_EQ(p.first, 2);
  EXPECT_EQ(p.second, 0);
  const PairServers one = ServersOfPair(5, 1, PairsOn::kByIndex);
  EXPECT_EQ(one.first, 0);
  EXPECT_EQ(one.second, 0);
}

TEST(SpreadTest, SamePutsBothMembersOnOneServerRoundRobin) {
  for (int servers : {1, 2, 3}) {
    std::vector<int> pairs_on(servers);
    for (int64_t pair = 0; pair < 30; ++pair) {
      const PairServers p = ServersOfPair(pair, servers, PairsOn::kSame);
      EXPECT_EQ(p.first, p.second) << pair;
      ++pairs_on[p.first];
    }
    for (int n : pairs_on) EXPECT_EQ(n, 30 / servers);
  }
}

TEST(SpreadTest, AcrossPutsMembersOnDifferentServersEvenly) {
  for (int servers : {2, 3, 5}) {
    std::vector<int> first(servers), second(servers);
    for (int64_t pair = 0; pair < 30; ++pair) {
      const PairServers p = ServersOfPair(pair, servers, PairsOn::kAcross);
      EXPECT_NE(p.first, p.second) << pair << " of " << servers;
      ++first[p.first];
      ++second[p.second];
    }
    for (int s = 0; s < servers; ++s) {
      EXPECT_EQ(first[s], 30 / servers) << s;
      EXPECT_EQ(second[s], 30 / servers) << s;
    }
  }
}

}  // namespace
}  // namespace caucus::bench
