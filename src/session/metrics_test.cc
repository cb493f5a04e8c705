#include "session/metrics.h"

#include <gtest/gtest.h>

namespace caucus::session {
namespace {

TEST(Histogram, BucketsByUpperBound) {
  Histogram h{10, 100};
  for (uint64_t v : {0, 10, 11, 100, 101, 5000}) h.Observe(v);
  ASSERT_EQ(h.buckets(), 2u);
  EXPECT_EQ(h.count(0), 2u);  // 0, 10
  EXPECT_EQ(h.count(1), 2u);  // 11, 100
  EXPECT_EQ(h.count(2), 2u);  // above every bound
  EXPECT_EQ(h.sum(), 5222u);
  AtomicHistogram a{1, 2};
  a.Observe(2);
  EXPECT_EQ(a.count(1), 1u);
  EXPECT_EQ(a.sum(), 2u);
}

}  // namespace
}  // namespace caucus::session
