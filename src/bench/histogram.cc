#include "bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace caucus::bench {
namespace {

constexpr int kSubBits = 7;
constexpr uint64_t kSub = uint64_t{1} << kSubBits;  // buckets per power of two

// Values below 2*kSub map to themselves; above, a value whose highest bit is
// bit e keeps its top kSubBits+1 bits (the mantissa, in [kSub, 2*kSub)), and
// each further shift adds a row of kSub buckets.
size_t BucketOf(uint64_t v) {
  if (v < 2 * kSub) return v;
  const int shift = std::bit_width(v) - 1 - kSubBits;
  return static_cast<size_t>(shift) * kSub + (v >> shift);
}

// The largest value that falls in bucket `b`.
uint64_t BucketTop(size_t b) {
  if (b < 2 * kSub) return b;
  const size_t shift = b / kSub - 1;
  const uint64_t mantissa = b - shift * kSub;
  return ((mantissa + 1) << shift) - 1;
}

}  // namespace

void LatencyHistogram::Record(int64_t ns) {
  const uint64_t v = ns < 0 ? 0 : static_cast<uint64_t>(ns);
  const size_t b = BucketOf(v);
  if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
  ++buckets_[b];
  const auto value = static_cast<int64_t>(v);
  min_ = count_ == 0 ? value : std::min(min_, value);
  max_ = std::max(max_, value);
  sum_ += value;
  ++count_;
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (other.buckets_.size() > buckets_.size()) buckets_.resize(other.buckets_.size(), 0);
  for (size_t b = 0; b < other.buckets_.size(); ++b) buckets_[b] += other.buckets_[b];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
  count_ += other.count_;
}

int64_t LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  const auto rank = std::clamp<int64_t>(
      static_cast<int64_t>(std::ceil(q * static_cast<double>(count_))), 1, count_);
  int64_t seen = 0;
  for (size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= rank) return std::min(static_cast<int64_t>(BucketTop(b)), max_);
  }
  return max_;
}

}  // namespace caucus::bench
