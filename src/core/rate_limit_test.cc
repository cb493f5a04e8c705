#include "core/rate_limit.h"

#include <gtest/gtest.h>

namespace caucus::core {
namespace {

TEST(TokenBucketTest, BurstThenRate) {
  TokenBucket b;
  int taken = 0;
  for (int i = 0; i < 100; ++i) taken += b.Take(1000, 10, 20);
  EXPECT_EQ(taken, 20);
  EXPECT_FALSE(b.Take(1050, 10, 20));  // half a token
  EXPECT_TRUE(b.Take(1100, 10, 20));   // one more after 100 ms
  EXPECT_FALSE(b.Take(1100, 10, 20));
}

TEST(TokenBucketTest, ZeroRateIsUnlimited) {
  TokenBucket b;
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(b.Take(0, 0, 0));
}

TEST(WindowCounterTest, LimitsPerKeyPerWindow) {
  WindowCounter c(3, 60'000);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(c.Take("a", 1000 + i));
  EXPECT_FALSE(c.Take("a", 2000));
  EXPECT_TRUE(c.Take("b", 2000));
  EXPECT_TRUE(c.Take("a", 61'000)) << "a new window";
  c.Purge(200'000);
  EXPECT_EQ(c.keys(), 0u);
}

TEST(WindowCounterTest, ZeroLimitIsUnlimited) {
  WindowCounter c(0, 1000);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(c.Take("a", i));
  EXPECT_EQ(c.keys(), 0u);
}

}  // namespace
}  // namespace caucus::core
