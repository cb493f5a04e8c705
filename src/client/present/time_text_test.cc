#include "client/present/time_text.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace caucus::client {
namespace {

constexpr int64_t kNow = 1795288080000;  // 2026-11-21T19:08:00Z

class TimeTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
};

TEST_F(TimeTextTest, LocalTimeIsAsShortAsIsClear) {
  EXPECT_EQ(LocalTime(kNow, kNow), "19:08");
  EXPECT_EQ(LocalTime(kNow - 86400000, kNow), "Nov 20 19:08");
  EXPECT_EQ(LocalTime(kNow - 400LL * 86400000, kNow), "2025-10-17 19:08");
  EXPECT_EQ(WireLocalTime("2026-11-21T07:05:00.000Z", kNow), "07:05");
  EXPECT_EQ(WireLocalTime("-", kNow), "not set");
  EXPECT_EQ(WireLocalTime("soon", kNow), "soon");
}

TEST_F(TimeTextTest, LocalTimeFollowsTheZone) {
  ::setenv("TZ", "Asia/Tokyo", 1);
  ::tzset();
  EXPECT_EQ(LocalTime(kNow, kNow), "04:08");
}

TEST(DurationTest, Words) {
  const std::pair<int64_t, std::string> cases[] = {
      {0, "0 seconds"},
      {1, "1 second"},
      {45, "45 seconds"},
      {60, "1 minute"},
      {125, "2 minutes 5 seconds"},
      {3600, "1 hour"},
      {7260, "2 hours 1 minute"},
      {86400, "1 day"},
      {90000, "1 day 1 hour"},
  };
  for (const auto& [seconds, words] : cases) EXPECT_EQ(Duration(seconds), words) << seconds;
}

}  // namespace
}  // namespace caucus::client
