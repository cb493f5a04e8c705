// The prepare step (Caucus only): makes sure accounts 0..N-1 of the pool
// exist and have session tokens, registering and logging in those that
// need it. Password hashing is slow by design, so this is done once, before
// the measured runs, which then RESUME.
#pragma once

#include <cstdint>

#include "bench/context.h"
#include "bench/report.h"

namespace caucus::bench {

// REQUIRES: accounts >= 1.
Report RunPrepare(const BenchContext& ctx, int64_t accounts);

}  // namespace caucus::bench
