#include "bench/report.h"

#include <gtest/gtest.h>

#include <limits>

namespace caucus::bench {
namespace {

TEST(ReportTest, WritesKeyValueLine) {
  Report r;
  r.Text("workload", "fanout").Int("clients", 1000).Real("p99_ms", 2.4567, 2);
  EXPECT_EQ(r.KeyValueLine(), "workload=fanout clients=1000 p99_ms=2.46");
}

TEST(ReportTest, QuotesTextThatNeedsIt) {
  Report r;
  r.Text("error", "ERR POLLNEW UNKNOWN_COMMAND :unknown command").Text("empty", "");
  EXPECT_EQ(r.KeyValueLine(), "error=\"ERR POLLNEW UNKNOWN_COMMAND :unknown command\" empty=\"\"");
}

TEST(ReportTest, WritesJson) {
  Report r;
  r.Text("status", "say \"hi\"\n").Int("n", -3).Real("rate", 1.5, 1);
  EXPECT_EQ(r.Json(), "{\"status\":\"say \\\"hi\\\"\\n\",\"n\":-3,\"rate\":1.5}");
}

TEST(ReportTest, NonFiniteIsNullInJson) {
  Report r;
  r.Real("ratio", std::numeric_limits<double>::quiet_NaN(), 2);
  EXPECT_EQ(r.Json(), "{\"ratio\":null}");
}

TEST(ReportTest, FindsTextValues) {
  Report r;
  r.Text("status", "ok").Int("n", 3);
  ASSERT_NE(r.FindText("status"), nullptr);
  EXPECT_EQ(*r.FindText("status"), "ok");
  EXPECT_EQ(r.FindText("n"), nullptr);
  EXPECT_EQ(r.FindText("missing"), nullptr);
}

TEST(ReportTest, EmptyReport) {
  Report r;
  EXPECT_EQ(r.KeyValueLine(), "");
  EXPECT_EQ(r.Json(), "{}");
}

}  // namespace
}  // namespace caucus::bench
