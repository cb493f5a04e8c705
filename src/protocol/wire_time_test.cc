#include "protocol/wire_time.h"

#include <gtest/gtest.h>

namespace caucus::protocol {
namespace {

TEST(WireTimeTest, Formats) {
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTime(1795288080123), "2026-11-21T19:08:00.123Z");
  EXPECT_EQ(FormatTime(951782400000), "2000-02-29T00:00:00.000Z");
}

TEST(WireTimeTest, RoundTrips) {
  for (int64_t t : {0LL, 1LL, 999LL, 1795288080123LL, 4102444799999LL}) {
    EXPECT_EQ(ParseTime(FormatTime(t)), t) << t;
  }
}

TEST(WireTimeTest, AcceptsRfc3339Variants) {
  EXPECT_EQ(ParseTime("2026-11-21T19:08:00Z"), 1795288080000);
  EXPECT_EQ(ParseTime("2026-11-21t19:08:00.1z"), 1795288080100);
  EXPECT_EQ(ParseTime("2026-11-21T19:08:00.123456Z"), 1795288080123);
  EXPECT_EQ(ParseTime("2026-11-21T20:08:00.123+01:00"), 1795288080123);
  EXPECT_EQ(ParseTime("2026-11-21T18:38:00.123-00:30"), 1795288080123);
}

TEST(WireTimeTest, RefusesOthers) {
  for (const char* bad :
       {"yesterday", "12:00", "", "2026-11-21", "2026-11-21T19:08:00", "2026-11-21T19:08:00.Z",
        "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-21T24:00:00Z",
        "2026-11-21T19:08:00Zx", "2026-11-21 19:08:00Z", "1969-12-31T23:59:59Z",
        "+2026-11-21T1:08:00Z", "2026-11-21T19:08:00+0100"}) {
    EXPECT_EQ(ParseTime(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace caucus::protocol
