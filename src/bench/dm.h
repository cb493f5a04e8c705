// The dm workload: P pairs of users exchanging direct messages. In each
// pair one sends, the other echoes the message back as soon as it arrives,
// and the first sends again on receipt: R rounds per pair, one message in
// flight each way. Reports messages per second (both directions) and the
// round-trip time. With several servers, where each pair's two members
// connect is chosen (bench/spread.h): both on one server, or on two.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bench/context.h"
#include "bench/report.h"
#include "bench/spread.h"

namespace caucus::bench {

struct DmOptions {
  int64_t pairs = 100;
  int64_t rounds = 500;  // round trips per pair
  size_t size = 64;      // bytes of message text
  PairsOn pairs_on = PairsOn::kByIndex;
};

// REQUIRES: pairs >= 1, rounds >= 1. With pairs_on kAcross, two servers or
// more (else the report says so).
Report RunDm(const BenchContext& ctx, const DmOptions& options);

}  // namespace caucus::bench
