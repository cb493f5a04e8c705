// The idle workload: K logged-in (or registered) sessions held open, and
// the server's resident memory per session: VmRSS of the server's pid
// after the sessions settled and were held, minus VmRSS before the first
// connection, divided by K. Run it against a freshly started server: memory
// a previous run freed stays in the allocator and would hide the cost.
// With several servers' pids the memory is summed, and each server's is
// reported too (per session of its own when there is one pid per server).
#pragma once

#include <cstdint>

#include "bench/context.h"
#include "bench/report.h"

namespace caucus::bench {

struct IdleOptions {
  int64_t sessions = 10000;
  // Caucus: distinct accounts the sessions log in as, round robin; 0 means
  // one per session. Fewer accounts than sessions needs a server that
  // allows several sessions per account (caucusd --multi-login allow).
  int64_t accounts = 0;
  double hold_s = 3;  // seconds the sessions stay idle before the reading
};

// REQUIRES: sessions >= 1; ctx.server_pids set (else the report says so).
Report RunIdle(const BenchContext& ctx, const IdleOptions& options);

}  // namespace caucus::bench
