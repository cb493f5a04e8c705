#include "bench/cpu_meter.h"

#include <string>

#include "bench/process_stats.h"

namespace caucus::bench {

CpuMeter::CpuMeter(int server_pid) : server_pid_(server_pid), self_(SelfCpuSeconds()) {
  if (server_pid_ > 0) server_ = ProcessCpuSeconds(server_pid_);
}

void CpuMeter::Stop() {
  self_ = SelfCpuSeconds() - self_;
  if (server_) {
    auto now = ProcessCpuSeconds(server_pid_);
    server_ = now ? std::optional<double>(*now - *server_) : std::nullopt;
  }
}

void CpuMeter::AddTo(Report& report, int64_t units, std::string_view unit) const {
  report.Real("bench_cpu_s", self_, 3);
  if (server_) report.Real("server_cpu_s", *server_, 3);
  if (units <= 0) return;
  const std::string suffix(unit);
  report.Real("bench_ns_per_" + suffix, self_ * 1e9 / static_cast<double>(units), 0);
  if (server_) {
    report.Real("server_ns_per_" + suffix, *server_ * 1e9 / static_cast<double>(units), 0);
  }
}

}  // namespace caucus::bench
