// The fanout workload (and latency, its one-sender, window-1 case).
//
// R clients join one broadcast domain; S of them send M messages each; one
// more, the probe, joins last and only listens. A sender sends message k
// only once the probe has received its message k - W (SendWindow). The run
// ends when every client has received every message from the others:
// S * M * (R - 1) deliveries. Reports deliveries per second and the
// probe's latency (the send time travels in the text). With repeat > 1 the
// measured run is repeated over the same connections and the run with the
// median rate is reported, with the slowest and fastest rates beside it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bench/context.h"
#include "bench/report.h"

namespace caucus::bench {

struct FanoutOptions {
  int64_t clients = 1000;   // R: senders, the probe and listeners
  int64_t senders = 4;      // S
  int64_t messages = 1000;  // M per sender
  int64_t window = 16;      // W
  size_t size = 64;         // bytes of message text
  int repeat = 1;           // measured runs over the same clients; the median is reported
};

// REQUIRES: clients > senders >= 1, messages >= 1, window >= 1, repeat >= 1.
// `workload` names the run in the report ("fanout" or "latency").
Report RunFanout(const BenchContext& ctx, const FanoutOptions& options, std::string_view workload);

}  // namespace caucus::bench
