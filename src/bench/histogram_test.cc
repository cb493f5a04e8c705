#include "bench/histogram.h"

#include <gtest/gtest.h>

namespace caucus::bench {
namespace {

TEST(LatencyHistogramTest, EmptyReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0);
  EXPECT_EQ(h.Percentile(0.5), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram h;
  for (int v = 1; v <= 100; ++v) h.Record(v);
  EXPECT_EQ(h.count(), 100);
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), 100);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
  EXPECT_EQ(h.Percentile(0.5), 50);
  EXPECT_EQ(h.Percentile(0.99), 99);
  EXPECT_EQ(h.Percentile(1.0), 100);
  EXPECT_EQ(h.Percentile(0.001), 1);
}

TEST(LatencyHistogramTest, LargeValuesWithinRelativeError) {
  struct Case {
    int64_t value;
  };
  for (const Case& c : {Case{256}, Case{257}, Case{1000}, Case{123456}, Case{5'000'000},
                        Case{987'654'321}, Case{3'600'000'000'000}}) {
    LatencyHistogram h;
    h.Record(c.value);
    h.Record(c.value * 2);  // max above, so Percentile is not capped to value
    const int64_t p = h.Percentile(0.5);
    EXPECT_GE(p, c.value) << c.value;
    EXPECT_LE(p - c.value, c.value / 128) << c.value;
  }
}

TEST(LatencyHistogramTest, PercentileNeverExceedsMax) {
  LatencyHistogram h;
  h.Record(1'000'001);
  EXPECT_EQ(h.Percentile(0.99), 1'000'001);
}

TEST(LatencyHistogramTest, NegativeCountsAsZero) {
  LatencyHistogram h;
  h.Record(-5);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.Percentile(1.0), 0);
}

TEST(LatencyHistogramTest, PercentilesOfSkewedSamples) {
  LatencyHistogram h;
  for (int i = 0; i < 990; ++i) h.Record(1'000'000);  // 1 ms
  for (int i = 0; i < 10; ++i) h.Record(50'000'000);  // 50 ms
  EXPECT_NEAR(h.Percentile(0.5), 1'000'000, 1'000'000 / 128);
  EXPECT_NEAR(h.Percentile(0.99), 1'000'000, 1'000'000 / 128);
  EXPECT_NEAR(h.Percentile(0.995), 50'000'000, 50'000'000 / 128);
  EXPECT_EQ(h.max(), 50'000'000);
}

TEST(LatencyHistogramTest, MergeAddsSamples) {
  LatencyHistogram a, b;
  a.Record(10);
  a.Record(20);
  b.Record(5);
  b.Record(1'000'000);
  a.Merge(b);
  EXPECT_EQ(a.count(), 4);
  EXPECT_EQ(a.min(), 5);
  EXPECT_EQ(a.max(), 1'000'000);
  EXPECT_EQ(a.Percentile(0.5), 10);
  EXPECT_EQ(a.Percentile(0.75), 20);

  LatencyHistogram empty;
  empty.Merge(a);
  EXPECT_EQ(empty.count(), 4);
  EXPECT_EQ(empty.min(), 5);
}

}  // namespace
}  // namespace caucus::bench
