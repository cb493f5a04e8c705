#include "core/poll_rules.h"

#include <gtest/gtest.h>

#include "protocol/wire_time.h"

namespace caucus::core {
namespace {

TEST(PollFlagsTest, ParsesTheSet) {
  auto none = ParsePollFlags("-");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->live || none->roll || none->revote);
  EXPECT_EQ(none->max_choices, 1);
  auto all = ParsePollFlags("live,vote-password,results-password,revote,roll,choices=3");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->live && all->vote_password && all->results_password && all->revote && all->roll);
  EXPECT_EQ(all->max_choices, 3);
}

TEST(PollFlagsTest, RefusesOthers) {
  for (const char* bad : {"", "no-such-flag", "live,", ",live", "LIVE", "choices=1", "choices=51",
                          "choices=x", "live roll"}) {
    EXPECT_FALSE(ParsePollFlags(bad)) << bad;
  }
}

TEST(PollFlagsTest, FormatsWhatItParses) {
  EXPECT_EQ(FormatPollFlags(PollFlags{}), "-");
  for (const char* flags : {"-", "live", "revote,roll", "choices=3",
                            "live,vote-password,results-password,revote,roll,choices=50"}) {
    auto parsed = ParsePollFlags(flags);
    ASSERT_TRUE(parsed) << flags;
    EXPECT_EQ(FormatPollFlags(*parsed), flags);
  }
}

TEST(PollScheduleTest, OpensAndCloses) {
  const TimeMs now = *protocol::ParseTime("2026-11-21T12:00:00Z");
  auto relative = ParsePollSchedule("-", "+300", now);
  ASSERT_TRUE(relative);
  EXPECT_EQ(relative->opens_ms, 0);
  EXPECT_EQ(relative->close_after_s, 300);
  auto fixed = ParsePollSchedule("2026-11-21T13:00:00Z", "2026-11-21T15:00:00Z", now);
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->closes_ms - fixed->opens_ms, 2 * 3600 * 1000);
  auto scheduled_relative = ParsePollSchedule("2026-11-21T13:00:00Z", "+2", now);
  ASSERT_TRUE(scheduled_relative);
  EXPECT_EQ(scheduled_relative->close_after_s, 2);
}

TEST(PollScheduleTest, RefusesPastAndMalformed) {
  const TimeMs now = *protocol::ParseTime("2026-11-21T12:00:00Z");
  struct Case {
    const char* opens;
    const char* closes;
  };
  for (const Case& c :
       {Case{"yesterday", "+60"}, Case{"-", "soon"}, Case{"-", "+abc"}, Case{"-", "+0"},
        Case{"now", "+60"}, Case{"2026-11-21T11:00:00Z", "+60"}, Case{"-", "2026-11-21T11:00:00Z"},
        Case{"2026-11-21T13:00:00Z", "2026-11-21T12:30:00Z"}}) {
    EXPECT_FALSE(ParsePollSchedule(c.opens, c.closes, now)) << c.opens << " " << c.closes;
  }
}

TEST(ChoicesTest, Parses) {
  EXPECT_EQ(ParseChoices("2"), std::vector<int>{2});
  EXPECT_EQ(ParseChoices("3,1"), (std::vector<int>{1, 3}));
  for (const char* bad : {"", "0", "-1", "a", "1,1", "1,", ",1", "1;2", "1.5"}) {
    EXPECT_TRUE(ParseChoices(bad).empty()) << bad;
  }
}

}  // namespace
}  // namespace caucus::core
