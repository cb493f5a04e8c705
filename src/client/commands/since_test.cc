#include "client/commands/since.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "protocol/wire_time.h"

namespace caucus::client {
namespace {

constexpr int64_t kNow = 1795288080000;  // 2026-11-21T19:08:00Z

struct Case {
  std::string zone;
  std::string text;
  std::string want;  // wire time; empty: not understood
};

class SinceTest : public ::testing::TestWithParam<Case> {};

TEST_P(SinceTest, Parses) {
  const auto& c = GetParam();
  ::setenv("TZ", c.zone.c_str(), 1);
  ::tzset();
  const auto got = ParseSince(c.text, kNow);
  if (c.want.empty()) {
    EXPECT_FALSE(got) << protocol::FormatTime(got.value_or(0));
  } else {
    ASSERT_TRUE(got);
    EXPECT_EQ(protocol::FormatTime(*got), c.want);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Forms, SinceTest,
    ::testing::Values(Case{"UTC", "45s", "2026-11-21T19:07:15.000Z"},
                      Case{"UTC", "10m", "2026-11-21T18:58:00.000Z"},
                      Case{"UTC", "3h", "2026-11-21T16:08:00.000Z"},
                      Case{"UTC", "2d", "2026-11-19T19:08:00.000Z"},
                      Case{"UTC", "1w", "2026-11-14T19:08:00.000Z"},
                      Case{"UTC", "14:30", "2026-11-21T14:30:00.000Z"},
                      Case{"UTC", "14:30:05", "2026-11-21T14:30:05.000Z"},
                      Case{"UTC", "2026-11-20", "2026-11-20T00:00:00.000Z"},
                      Case{"UTC", "2026-11-20 08:15", "2026-11-20T08:15:00.000Z"},
                      Case{"UTC", "2026-11-20 08:15:09", "2026-11-20T08:15:09.000Z"},
                      Case{"UTC", "1 Jun 2026 16:01:20", "2026-06-01T16:01:20.000Z"},
                      Case{"UTC", "1 Jun 2026", "2026-06-01T00:00:00.000Z"},
                      Case{"UTC", "2026-11-21T10:00:00+02:00", "2026-11-21T08:00:00.000Z"},
                      Case{"Europe/Berlin", "2026-11-20 08:15", "2026-11-20T07:15:00.000Z"},
                      Case{"Europe/Berlin", "1 Jun 2026 16:01:20", "2026-06-01T14:01:20.000Z"},
                      Case{"UTC", "", ""}, Case{"UTC", "m", ""}, Case{"UTC", "10x", ""},
                      Case{"UTC", "-5m", ""}, Case{"UTC", "yesterday", ""},
                      Case{"UTC", "2026-13-01", ""}, Case{"UTC", "14:30 tomorrow", ""}));

}  // namespace
}  // namespace caucus::client
