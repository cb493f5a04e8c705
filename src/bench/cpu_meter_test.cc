#include "bench/cpu_meter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace caucus::bench {
namespace {

// Above the kernel's largest pid_max (2^22): never a live process.
constexpr int kNoSuchPid = (1 << 22) + 1;

std::string Line(const CpuMeter& meter) {
  Report report;
  meter.AddTo(report, 1000, "delivery");
  return report.KeyValueLine();
}

TEST(CpuMeterTest, OneServerKeepsTheSingleServerKeys) {
  CpuMeter meter({::getpid()});
  meter.Stop();
  const std::string line = Line(meter);
  EXPECT_NE(line.find("server_cpu_s="), std::string::npos) << line;
  EXPECT_NE(line.find("server_ns_per_delivery="), std::string::npos) << line;
  EXPECT_EQ(line.find("server1_"), std::string::npos) << line;
}

TEST(CpuMeterTest, SeveralServersAreSummedAndListed) {
  CpuMeter meter({::getpid(), ::getpid()});
  meter.Stop();
  ASSERT_TRUE(meter.server_seconds().has_value());
  const std::string line = Line(meter);
  EXPECT_NE(line.find("server_cpu_s="), std::string::npos) << line;
  EXPECT_NE(line.find("server1_cpu_s="), std::string::npos) << line;
  EXPECT_NE(line.find("server2_cpu_s="), std::string::npos) << line;
}

TEST(CpuMeterTest, AnUnreadablePidDropsItselfAndTheSums) {
  CpuMeter meter({::getpid(), kNoSuchPid});
  meter.Stop();
  EXPECT_FALSE(meter.server_seconds().has_value());
  const std::string line = Line(meter);
  EXPECT_EQ(line.find("server_cpu_s="), std::string::npos) << line;
  EXPECT_NE(line.find("server1_cpu_s="), std::string::npos) << line;
  EXPECT_EQ(line.find("server2_cpu_s="), std::string::npos) << line;
}

TEST(CpuMeterTest, NoPidsNoServerFigures) {
  CpuMeter meter({});
  meter.Stop();
  const std::string line = Line(meter);
  EXPECT_NE(line.find("bench_cpu_s="), std::string::npos) << line;
  EXPECT_EQ(line.find("server"), std::string::npos) << line;
}

}  // namespace
}  // namespace caucus::bench
