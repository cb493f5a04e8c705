// LoopCounters: one counter per event loop, each written only by its own
// loop's thread and read by any: no read-modify-write and no shared cache
// line on the hot path.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace caucus::bench {

class LoopCounters {
 public:
  explicit LoopCounters(int loops) : counters_(loops) {}

  // REQUIRES: called only on loop `loop`'s thread (or between runs).
  void Add(int loop, int64_t n) {
    auto& v = counters_[loop].value;
    v.store(v.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }

  int64_t Total() const {
    int64_t sum = 0;
    for (const auto& c : counters_) sum += c.value.load(std::memory_order_relaxed);
    return sum;
  }

 private:
  struct alignas(64) Counter {
    std::atomic<int64_t> value{0};
  };
  std::vector<Counter> counters_;
};

}  // namespace caucus::bench
