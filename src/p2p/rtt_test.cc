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

TEST(Aimd, SlowStartThenHalvingOncePerRound) {
  AimdWindow w(1000);
  EXPECT_EQ(w.window(), 10u);
  w.Acked(10);
  EXPECT_EQ(w.window(), 20u);
  w.Lost(5, 30);
  EXPECT_EQ(w.window(), 14u);
  w.Lost(6, 31);  // the same round: no second decrease
  EXPECT_EQ(w.window(), 14u);
  w.Acked(16);  // congestion avoidance: about +1 per window
  EXPECT_EQ(w.window(), 15u);
  w.Lost(30, 60);
  EXPECT_EQ(w.window(), 10u);
  w.Timeout(70);
  EXPECT_EQ(w.window(), 2u);
}

}  // namespace
}  // namespace caucus::p2p
