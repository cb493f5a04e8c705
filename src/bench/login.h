// The login workload: C clients, each connecting, logging in, and closing
// (a reset) as fast as the server allows, for a fixed time.
//
// Caucus runs it twice: with LOGIN <name> <password> (bound by the password
// hash's cost) and with RESUME <token> (the fast path of a reconnecting
// client). IRC and NATS have no accounts: their figure is connections
// registered per second (IRC: NICK/USER until 001; NATS: CONNECT until
// PONG), the nearest thing to a RESUME. Every cycle includes the TCP
// connection; commands are sent without waiting for the greeting.
#pragma once

#include <cstdint>

#include "bench/context.h"
#include "bench/report.h"

namespace caucus::bench {

struct LoginOptions {
  int64_t concurrency = 50;
  double duration_s = 3;    // per phase
  int64_t accounts = 1000;  // Caucus: accounts used, round robin
};

// REQUIRES: concurrency >= 1, duration_s > 0, accounts >= 1.
Report RunLogin(const BenchContext& ctx, const LoginOptions& options);

}  // namespace caucus::bench
