#include "bench/idle.h"

#include "bench/fleet.h"
#include "bench/launcher.h"
#include "bench/payload.h"
#include "bench/population.h"
#include "bench/process_stats.h"
#include "bench/workload_report.h"

namespace caucus::bench {

Report RunIdle(const BenchContext& ctx, const IdleOptions& o) {
  const int64_t accounts = o.accounts > 0 ? o.accounts : o.sessions;
  Report report;
  report.Text("workload", "idle")
      .Text("protocol", ProtocolName(ctx.protocol))
      .Int("sessions", o.sessions)
      .Int("accounts", accounts)
      .Real("hold_s", o.hold_s, 1);
  const auto before = ProcessRssBytes(ctx.server_pid);
  if (ctx.server_pid <= 0 || !before) {
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
  const auto after = ProcessRssBytes(ctx.server_pid);
  if (!after) return report.Text("status", "error").Text("first_error", "the server went away");

  const int64_t errors = clients.errors();
  report.Text("status", errors == 0 ? "ok" : "errors")
      .Real("setup_s", setup_s, 2)
      .Real("sessions_per_s", o.sessions / setup_s, 0)
      .Int("rss_before_kib", *before / 1024)
      .Int("rss_after_kib", *after / 1024)
      .Real("bytes_per_session", static_cast<double>(*after - *before) / o.sessions, 0)
      .Int("errors", errors);
  if (errors > 0) report.Text("first_error", clients.first_error());
  return report;
}

}  // namespace caucus::bench
