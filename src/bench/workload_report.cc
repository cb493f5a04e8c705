#include "bench/workload_report.h"

#include <string>

namespace caucus::bench {

void AddLatency(Report& report, const LatencyHistogram& h, std::string_view prefix) {
  const std::string p(prefix);
  report.Real(p + "p50_ms", h.Percentile(0.50) / 1e6, 3)
      .Real(p + "p99_ms", h.Percentile(0.99) / 1e6, 3)
      .Real(p + "max_ms", h.max() / 1e6, 3)
      .Int(p + "samples", h.count());
}

Report& FailedSetup(Report& report, const LaunchResult& launched) {
  return report.Text("status", "setup_failed")
      .Int("ready", static_cast<int64_t>(launched.ready))
      .Int("failed", static_cast<int64_t>(launched.failed))
      .Text("first_error", launched.first_failure);
}

Report& FailedSync(Report& report, std::string_view first_error) {
  return report.Text("status", "sync_failed").Text("first_error", first_error);
}

}  // namespace caucus::bench
