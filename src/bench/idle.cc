#include "bench/idle.h"

#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "bench/fleet.h"
#include "bench/launcher.h"
#include "bench/payload.h"
#include "bench/population.h"
#include "bench/process_stats.h"
#include "bench/spread.h"
#include "bench/workload_report.h"

namespace caucus::bench {
namespace {

// The VmRSS of each pid; nullopt when one cannot be read.
std::optional<std::vector<int64_t>> RssOf(const std::vector<int>& pids) {
  std::vector<int64_t> rss;
  for (int pid : pids) {
    const auto bytes = ProcessRssBytes(pid);
    if (!bytes) return std::nullopt;
    rss.push_back(*bytes);
  }
  return rss;
}

int64_t Sum(const std::vector<int64_t>& v) {
  return std::accumulate(v.begin(), v.end(), int64_t{0});
}

}  // namespace

Report RunIdle(const BenchContext& ctx, const IdleOptions& o) {
  const int64_t accounts = o.accounts > 0 ? o.accounts : o.sessions;
  Report report;
  report.Text("workload", "idle")
      .Text("protocol", ProtocolName(ctx.protocol))
      .Int("sessions", o.sessions)
      .Int("accounts", accounts)
      .Real("hold_s", o.hold_s, 1);
  const auto before = RssOf(ctx.server_pids);
  if (ctx.server_pids.empty() || !before) {
    return report.Text("status", "error")
        .Text("first_error", "needs --server-pid of a live server");
  }

  Fleet fleet(ctx.threads);
  Population<Client> clients(fleet.size());
  for (int64_t i = 0; i < o.sessions; ++i) {
    const int loop = static_cast<int>(i % fleet.size());
    clients.Add(loop, std::make_unique<Client>(fleet.loop(loop), ctx.EndpointsFor(i, o.sessions),
                                               ctx.AdapterFor(i % accounts, {})));
  }
  const int64_t setup_start = NowNs();
  const LaunchResult launched = LaunchAll(fleet, clients.by_loop(), ctx.in_flight, ctx.Deadline());
  clients.LearnTokens(ctx.accounts);
  if (!launched.ok()) return FailedSetup(report, launched);
  if (!SyncAll(fleet, clients.by_loop(), ctx.Deadline())) {
    return FailedSync(report, clients.first_error());
  }
  const double setup_s = (NowNs() - setup_start) / 1e9;

  // Hold: the loops keep answering the server's pings meanwhile.
  fleet.Run([](int) { return false; }, NowNs() + static_cast<int64_t>(o.hold_s * 1e9));
  const auto after = RssOf(ctx.server_pids);
  if (!after) return report.Text("status", "error").Text("first_error", "the server went away");

  const int64_t errors = clients.errors();
  report.Text("status", errors == 0 ? "ok" : "errors")
      .Real("setup_s", setup_s, 2)
      .Real("sessions_per_s", o.sessions / setup_s, 0)
      .Int("rss_before_kib", Sum(*before) / 1024)
      .Int("rss_after_kib", Sum(*after) / 1024)
      .Real("bytes_per_session", static_cast<double>(Sum(*after) - Sum(*before)) / o.sessions, 0);
  const int pids = static_cast<int>(before->size());
  for (int k = 0; pids > 1 && k < pids; ++k) {
    const std::string key = "server" + std::to_string(k + 1) + "_";
    report.Int(key + "rss_before_kib", (*before)[k] / 1024)
        .Int(key + "rss_after_kib", (*after)[k] / 1024);
    if (pids != ctx.server_count()) continue;
    const int64_t own = ConnectionsOn(k, o.sessions, pids);
    report.Int(key + "sessions", own);
    if (own > 0) {
      report.Real(key + "bytes_per_session",
                  static_cast<double>((*after)[k] - (*before)[k]) / static_cast<double>(own), 0);
    }
  }
  report.Int("errors", errors);
  if (errors > 0) report.Text("first_error", clients.first_error());
  return report;
}

}  // namespace caucus::bench
