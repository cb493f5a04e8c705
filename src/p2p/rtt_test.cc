#include "p2p/rtt.h"

#include <gtest/gtest.h>

#include "p2p/congestion.h"

namespace caucus::p2p {
namespace {

TEST(Rtt, InitialTimeoutIsOneSecond) {
  RttEstimator r;
  EXPECT_EQ(r.rto(), 1'000'000);
  r.Backoff();
  EXPECT_EQ(r.rto(), 2'000'000);
}

TEST(Rtt, FollowsRfc6298) {
  RttEstimator r;
  r.Sample(400'000);  // SRTT 400 ms, RTTVAR 200 ms: RTO 1.2 s
  EXPECT_EQ(r.srtt(), 400'000);
  EXPECT_EQ(r.rto(), 1'200'000);
  r.Sample(400'000);  // RTTVAR 150 ms: RTO 1 s
  EXPECT_EQ(r.rto(), 1'000'000);
  r.Backoff();
  EXPECT_EQ(r.rto(), 2'000'000);
  r.Backoff();
  r.Backoff();
  EXPECT_EQ(r.rto(), RttEstimator::kMaxRto);
  r.Sample(400'000);  // a new sample ends the backoff
  EXPECT_LT(r.rto(), 1'000'000);
}

TEST(Rtt, FloorForFastPaths) {
  RttEstimator r;
  for (int i = 0; i < 20; ++i) r.Sample(100);
  EXPECT_EQ(r.rto(), RttEstimator::kMinRto);
}

TEST(Aimd, SlowStartThenDecreaseOncePerRound) {
  AimdWindow w(1000);
  EXPECT_EQ(w.window(), 10u);
  w.Acked(10);
  EXPECT_EQ(w.window(), 20u);
  w.Lost(5, 30);  // a = 3/4 + 1/4 * 1/11: x 0.614
  EXPECT_EQ(w.window(), 12u);
  w.Lost(6, 31);  // the same round: no second decrease
  EXPECT_EQ(w.window(), 12u);
  w.Acked(14);  // congestion avoidance: about +1 per window
  EXPECT_EQ(w.window(), 13u);
  w.Timeout(70);
  EXPECT_EQ(w.window(), 2u);
}

TEST(Aimd, RandomLossCostsLessThanOverflow) {
  AimdWindow light(100000), heavy(100000);
  uint64_t tx = 1;
  for (int round = 0; round < 40; ++round) {
    // Light: 1 chunk in 20 lost; heavy: half of every round lost.
    light.Acked(19);
    light.Lost(tx, tx + 20);
    heavy.Acked(10);
    for (int i = 0; i < 10; ++i) heavy.Lost(tx + static_cast<uint64_t>(i), tx + 20);
    tx += 20;
  }
  EXPECT_LT(light.loss_share(), 0.1);
  EXPECT_GT(heavy.loss_share(), 0.4);
  EXPECT_GT(light.window(), 3 * heavy.window());
}

}  // namespace
}  // namespace caucus::p2p
