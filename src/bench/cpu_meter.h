// CpuMeter: the CPU used by this process and by the servers over one
// measured interval, so that a run can show that the load generator costs
// less per delivery than the servers it loads.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "bench/report.h"

namespace caucus::bench {

class CpuMeter {
 public:
  // Starts measuring. No `server_pids` means unknown: no server figures.
  explicit CpuMeter(std::vector<int> server_pids);

  void Stop();

  double self_seconds() const { return self_; }
  // The servers' CPU seconds, summed; nullopt when any could not be read.
  std::optional<double> server_seconds() const;

  // Adds bench_cpu_s and server_cpu_s, and, when `units` > 0, the CPU
  // nanoseconds per unit: bench_ns_per_<unit> and server_ns_per_<unit>.
  // With several servers, then server<k>_cpu_s for each that could be read
  // (k from 1, in the order of the pids): a pid that ended is left out, and
  // so are the sums.
  void AddTo(Report& report, int64_t units, std::string_view unit) const;

 private:
  std::vector<int> server_pids_;
  double self_;
  std::vector<std::optional<double>> servers_;  // one per pid
};

}  // namespace caucus::bench
