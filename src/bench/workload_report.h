// Report lines the workloads share: latency percentiles and the ways a run
// can fail before it measures anything.
#pragma once

#include <string_view>

#include "bench/histogram.h"
#include "bench/launcher.h"
#include "bench/report.h"

namespace caucus::bench {

// Adds <prefix>p50_ms, <prefix>p99_ms, <prefix>max_ms and <prefix>samples.
void AddLatency(Report& report, const LatencyHistogram& h, std::string_view prefix);

// Adds status=setup_failed with what went wrong; returns the report.
Report& FailedSetup(Report& report, const LaunchResult& launched);

// Adds status=sync_failed (some client never answered the ping round).
Report& FailedSync(Report& report, std::string_view first_error);

}  // namespace caucus::bench
