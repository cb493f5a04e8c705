// CpuMeter: the CPU used by this process and by the server over one
// measured interval, so that a run can show that the load generator costs
// less per delivery than the server it loads.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "bench/report.h"

namespace caucus::bench {

class CpuMeter {
 public:
  // Starts measuring. `server_pid` 0 means unknown: no server figures.
  explicit CpuMeter(int server_pid);

  void Stop();

  double self_seconds() const { return self_; }
  std::optional<double> server_seconds() const { return server_; }

  // Adds bench_cpu_s and server_cpu_s, and, when `units` > 0, the CPU
  // nanoseconds per unit: bench_ns_per_<unit> and server_ns_per_<unit>.
  void AddTo(Report& report, int64_t units, std::string_view unit) const;

 private:
  int server_pid_;
  double self_;
  std::optional<double> server_;
};

}  // namespace caucus::bench
