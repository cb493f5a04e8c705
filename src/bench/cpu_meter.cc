#include "bench/cpu_meter.h"

#include <string>
#include <utility>

#include "bench/process_stats.h"

namespace caucus::bench {

CpuMeter::CpuMeter(std::vector<int> server_pids)
    : server_pids_(std::move(server_pids)), self_(SelfCpuSeconds()) {
  for (int pid : server_pids_) servers_.push_back(ProcessCpuSeconds(pid));
}

void CpuMeter::Stop() {
  self_ = SelfCpuSeconds() - self_;
  for (size_t i = 0; i < servers_.size(); ++i) {
    if (!servers_[i]) continue;
    auto now = ProcessCpuSeconds(server_pids_[i]);
    servers_[i] = now ? std::optional<double>(*now - *servers_[i]) : std::nullopt;
  }
}

std::optional<double> CpuMeter::server_seconds() const {
  if (servers_.empty()) return std::nullopt;
  double sum = 0;
  for (const auto& s : servers_) {
    if (!s) return std::nullopt;
    sum += *s;
  }
  return sum;
}

void CpuMeter::AddTo(Report& report, int64_t units, std::string_view unit) const {
  const std::optional<double> server = server_seconds();
  report.Real("bench_cpu_s", self_, 3);
  if (server) report.Real("server_cpu_s", *server, 3);
  if (units > 0) {
    const std::string suffix(unit);
    report.Real("bench_ns_per_" + suffix, self_ * 1e9 / static_cast<double>(units), 0);
    if (server) {
      report.Real("server_ns_per_" + suffix, *server * 1e9 / static_cast<double>(units), 0);
    }
  }
  if (servers_.size() < 2) return;
  for (size_t i = 0; i < servers_.size(); ++i) {
    if (servers_[i]) report.Real("server" + std::to_string(i + 1) + "_cpu_s", *servers_[i], 3);
  }
}

}  // namespace caucus::bench
