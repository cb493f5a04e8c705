#include "bench/process_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace caucus::bench {
namespace {

TEST(ProcessStatsTest, ParsesCpuTicks) {
  // Fields 14 and 15 (utime, stime) are 250 and 50 ticks.
  const char* stat =
      "4242 (cau cus) d) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 3 0 100 "
      "123456789 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
  auto cpu = ParseProcStatCpu(stat, 100);
  ASSERT_TRUE(cpu.has_value());
  EXPECT_DOUBLE_EQ(*cpu, 3.0);
}

TEST(ProcessStatsTest, RejectsMalformedStat) {
  EXPECT_FALSE(ParseProcStatCpu("", 100).has_value());
  EXPECT_FALSE(ParseProcStatCpu("12 (x) S 1 2", 100).has_value());
  EXPECT_FALSE(ParseProcStatCpu("12 (x) S 1 2 3 4 5 6 7 8 9 ten 11", 100).has_value());
  EXPECT_FALSE(ParseProcStatCpu("12 (x) S 1 2 3 4 5 6 7 8 9 10 11 12", 0).has_value());
}

TEST(ProcessStatsTest, ParsesVmRss) {
  const char* status = "Name:\tcaucusd\nVmPeak:\t  9999 kB\nVmRSS:\t   12345 kB\nThreads:\t3\n";
  EXPECT_EQ(ParseVmRss(status), 12345 * 1024);
  EXPECT_FALSE(ParseVmRss("Name:\tx\n").has_value());
  EXPECT_FALSE(ParseVmRss("VmRSS:\t12 MB\n").has_value());
}

TEST(ProcessStatsTest, ReadsItself) {
  EXPECT_TRUE(ProcessCpuSeconds(::getpid()).has_value());
  auto rss = ProcessRssBytes(::getpid());
  ASSERT_TRUE(rss.has_value());
  EXPECT_GT(*rss, 0);
  EXPECT_GE(SelfCpuSeconds(), 0.0);
}

}  // namespace
}  // namespace caucus::bench
