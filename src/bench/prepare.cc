#include "bench/prepare.h"

#include "bench/fleet.h"
#include "bench/launcher.h"
#include "bench/payload.h"
#include "bench/population.h"
#include "bench/workload_report.h"

namespace caucus::bench {

Report RunPrepare(const BenchContext& ctx, int64_t accounts) {
  Report report;
  report.Text("workload", "prepare")
      .Text("protocol", ProtocolName(ctx.protocol))
      .Int("accounts", accounts);
  if (ctx.protocol != Protocol::kCaucus || ctx.accounts == nullptr) {
    return report.Text("status", "ok").Text("reason", "nothing to prepare");
  }
  int64_t had_tokens = 0;
  for (int64_t i = 0; i < accounts; ++i) had_tokens += ctx.accounts->Get(i).token.empty() ? 0 : 1;

  Fleet fleet(ctx.threads);
  Population<Client> clients(fleet.size());
  for (int64_t i = 0; i < accounts; ++i) {
    const int loop = static_cast<int>(i % fleet.size());
    clients.Add(loop, std::make_unique<Client>(fleet.loop(loop), ctx.EndpointsFor(i, accounts),
                                               ctx.AdapterFor(i, {})));
  }
  const int64_t start = NowNs();
  const LaunchResult launched = LaunchAll(fleet, clients.by_loop(), ctx.in_flight, ctx.Deadline());
  clients.LearnTokens(ctx.accounts);
  report.Int("had_tokens", had_tokens).Real("elapsed_s", (NowNs() - start) / 1e9, 2);
  if (!launched.ok()) return FailedSetup(report, launched);
  return report.Text("status", "ok").Int("ready", static_cast<int64_t>(launched.ready));
}

}  // namespace caucus::bench
