// The dm workload: P pairs of users exchanging direct messages. In each
// pair one sends, the other echoes the message back as soon as it arrives,
// and the first sends again on receipt: R rounds per pair, one message in
// flight each way. Reports messages per second (both directions) and the
// round-trip time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bench/context.h"
#include "bench/report.h"

namespace caucus::bench {

struct DmOptions {
  int64_t pairs = 100;
  int64_t rounds = 500;  // round trips per pair
  size_t size = 64;      // bytes of message text
};

// REQUIRES: pairs >= 1, rounds >= 1.
Report RunDm(const BenchContext& ctx, const DmOptions& options);

}  // namespace caucus::bench
