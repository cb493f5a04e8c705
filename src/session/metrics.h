// Metrics: caucusd's counters for /metrics, in one place.
//
// Almost everything is counted on the event loop thread, as plain
// integers: a hook costs an increment. The store's commit histograms are
// written by the store's writer thread, so they are relaxed atomics.
// Rendering in Prometheus text format is RenderMetrics() (metrics_text.h).
//
// Thread-safety: ServerMetrics on the loop thread, but for `commit_batch`
// and `commit_seconds`, which any thread may observe into.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace caucus::session {

// How a client reached caucusd.
enum class Via { kTcp, kTls, kWs, kWss };
inline constexpr std::array<const char*, 4> kViaNames = {"tcp", "tls", "ws", "wss"};

// A histogram over fixed integer bucket bounds (at most kMaxBuckets),
// counted in `Count` (uint64_t, or std::atomic<uint64_t> for other
// threads). Values are integers in the histogram's unit (microseconds,
// jobs); the page scales them.
template <class Count>
class BasicHistogram {
 public:
  static constexpr size_t kMaxBuckets = 24;
  BasicHistogram(std::initializer_list<uint64_t> bounds) {
    for (uint64_t b : bounds) bounds_[size_++] = b;
  }
  void Observe(uint64_t value) {
    size_t i = 0;
    while (i < size_ && value > bounds_[i]) ++i;
    Add(counts_[i], 1);  // counts_[size_] is +Inf
    Add(sum_, value);
  }
  size_t buckets() const { return size_; }
  uint64_t bound(size_t i) const { return bounds_[i]; }
  // Observations in bucket i alone (i == buckets() is above the last bound).
  uint64_t count(size_t i) const { return Load(counts_[i]); }
  uint64_t sum() const { return Load(sum_); }

 private:
  static void Add(uint64_t& c, uint64_t n) { c += n; }
  static void Add(std::atomic<uint64_t>& c, uint64_t n) {
    c.fetch_add(n, std::memory_order_relaxed);
  }
  static uint64_t Load(const uint64_t& c) { return c; }
  static uint64_t Load(const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); }

  std::array<uint64_t, kMaxBuckets> bounds_{};
  std::array<Count, kMaxBuckets + 1> counts_{};
  Count sum_{};
  size_t size_ = 0;
};

using Histogram = BasicHistogram<uint64_t>;
using AtomicHistogram = BasicHistogram<std::atomic<uint64_t>>;

struct ServerMetrics {
  std::array<uint64_t, 4> connections_accepted{};  // by Via
  std::array<int64_t, 4> connections_open{};       // by Via
  uint64_t connections_refused = 0;                // limits, at accept or upgrade
  uint64_t logins_ok = 0;
  uint64_t logins_failed = 0;       // wrong password or no such user
  uint64_t logins_locked = 0;       // refused because the account is locked
  uint64_t messages_delivered = 0;  // direct messages handed to an online recipient
  uint64_t messages_stored = 0;     // direct messages queued for an offline recipient
  uint64_t broadcasts = 0;
  uint64_t broadcast_deliveries = 0;  // recipients reached by broadcasts
  uint64_t votes_acknowledged = 0;    // OK VOTE sent (the ballot is committed)
  uint64_t too_slow = 0;              // sessions ended with BYE TOO_SLOW
  uint64_t http_requests = 0;
  uint64_t websocket_refused = 0;  // origin, path or method wrong
  // Timer lateness of the event loop, in microseconds.
  Histogram loop_lag_us{50,    100,   250,   500,    1000,   2500,   5000,
                        10000, 25000, 50000, 100000, 250000, 500000, 1000000};
  // Jobs per store commit, and the commit's duration (its fsync) in
  // microseconds; written by the store's writer thread.
  AtomicHistogram commit_batch{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
  AtomicHistogram commit_us{100,   250,   500,    1000,   2500,   5000,    10000,
                            25000, 50000, 100000, 250000, 500000, 1000000, 2500000};
};

}  // namespace caucus::session
