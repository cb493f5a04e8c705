// LatencyHistogram: durations in nanoseconds, kept in log-linear buckets so
// that memory stays bounded however many samples are recorded.
//
// Values below 256 ns are kept exactly; above, each power of two is split
// into 128 buckets, so a percentile is reported with a relative error below
// 1/128 (0.8%). min, max, count and mean are exact.
//
// Thread-safety: none; give each thread its own and Merge() them afterwards.
#pragma once

#include <cstdint>
#include <vector>

namespace caucus::bench {

class LatencyHistogram {
 public:
  // Records one duration; negative values count as 0.
  void Record(int64_t ns);

  // Adds every sample of `other` to this histogram.
  void Merge(const LatencyHistogram& other);

  int64_t count() const { return count_; }
  int64_t min() const { return count_ == 0 ? 0 : min_; }
  int64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }

  // The value at quantile `q` (0 < q <= 1): the largest value of the bucket
  // that holds the ceil(q * count)-th smallest sample, capped at max().
  // Returns 0 when the histogram is empty.
  int64_t Percentile(double q) const;

 private:
  std::vector<int64_t> buckets_;
  int64_t count_ = 0;
  int64_t sum_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
};

}  // namespace caucus::bench
