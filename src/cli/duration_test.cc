#include "cli/duration.h"

#include <gtest/gtest.h>

namespace caucus::cli {
namespace {

TEST(DurationTest, ReadsANumberAndAUnit) {
  EXPECT_EQ(ParseDurationMs("30d"), int64_t{30} * 86400 * 1000);
  EXPECT_EQ(ParseDurationMs("12h"), int64_t{12} * 3600 * 1000);
  EXPECT_EQ(ParseDurationMs("90m"), int64_t{90} * 60 * 1000);
  EXPECT_EQ(ParseDurationMs("45s"), int64_t{45} * 1000);
  EXPECT_EQ(ParseDurationMs("2w"), int64_t{14} * 86400 * 1000);
  EXPECT_EQ(ParseDurationMs("036500d"), int64_t{36500} * 86400 * 1000);
}

TEST(DurationTest, RefusesTheRest) {
  for (const char* bad : {"", "d", "30", "0d", "-1d", "+1d", "1.5h", "1h30m", "30 d", " 30d", "30D",
                          "30x", "1y", "99999999999999999999s", "36601d"}) {
    EXPECT_EQ(ParseDurationMs(bad), std::nullopt) << bad;
  }
}

TEST(DurationTest, FormatsWhatItReads) {
  for (const char* text : {"30d", "36h", "90s", "1w", "25m"}) {
    EXPECT_EQ(FormatDuration(*ParseDurationMs(text)), text);
  }
  EXPECT_EQ(FormatDuration(86400 * 1000), "1d");
}

}  // namespace
}  // namespace caucus::cli
