#include "bench/login.h"

#include <functional>

#include "bench/cpu_meter.h"
#include "bench/fleet.h"
#include "bench/histogram.h"
#include "bench/loop_counters.h"
#include "bench/payload.h"
#include "bench/population.h"
#include "bench/workload_report.h"

namespace caucus::bench {
namespace {

// The identity for cycle `n` of client `c`.
using IdentityFn = std::function<Identity(int64_t c, int64_t n)>;

struct Phase {
  Phase(int loops, IdentityFn fn) : completed(loops), latency(loops), identity(std::move(fn)) {}
  LoopCounters completed;
  std::vector<LatencyHistogram> latency;  // per loop: connect to ready
  IdentityFn identity;
};

class CycleClient final : public Client {
 public:
  CycleClient(EventLoop& loop, Endpoints endpoints, const BenchContext& ctx, Phase* phase,
              int loop_index, int64_t index)
      : Client(loop, endpoints, ctx.AdapterFor(phase->identity(index, 0), {})),
        ctx_(ctx),
        phase_(phase),
        loop_index_(loop_index),
        index_(index) {}

  void Begin() {
    started_ = NowNs();
    Start(nullptr);
  }

 private:
  void OnReady() override {
    phase_->latency[loop_index_].Record(NowNs() - started_);
    phase_->completed.Add(loop_index_, 1);
    Next();
  }
  void OnError(std::string_view line) override {
    Client::OnError(line);
    Next();
  }
  void OnLost(std::string_view why) override {
    Client::OnLost(why);
    Next();
  }

  void Next() {
    started_ = NowNs();
    Restart(ctx_.AdapterFor(phase_->identity(index_, ++cycle_), {}));
  }

  const BenchContext& ctx_;
  Phase* phase_;
  int loop_index_;
  int64_t index_;
  int64_t cycle_ = 0;
  int64_t started_ = 0;
};

std::string Base36(int64_t v) {
  std::string s;
  do {
    s.insert(s.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36]);
    v /= 36;
  } while (v > 0);
  return s;
}

// Runs one phase; adds <name>_per_s, its latency and errors to `report`.
// Returns the number of errors.
int64_t RunPhase(const BenchContext& ctx, const LoginOptions& o, std::string_view name,
                 IdentityFn identity, Report& report) {
  Fleet fleet(ctx.threads);
  Phase phase(fleet.size(), std::move(identity));
  Population<CycleClient> clients(fleet.size());
  for (int64_t c = 0; c < o.concurrency; ++c) {
    const int loop = static_cast<int>(c % fleet.size());
    clients.Add(loop,
                std::make_unique<CycleClient>(fleet.loop(loop), ctx.EndpointsFor(c, o.concurrency),
                                              ctx, &phase, loop, c));
  }
  CpuMeter cpu(ctx.server_pids);
  const int64_t start = NowNs();
  for (const auto& c : clients.all()) c->Begin();
  fleet.Run([](int) { return false; }, start + static_cast<int64_t>(o.duration_s * 1e9));
  const double elapsed = (NowNs() - start) / 1e9;
  cpu.Stop();
  for (const auto& c : clients.all()) c->Stop();

  LatencyHistogram latency;
  for (const auto& h : phase.latency) latency.Merge(h);
  const std::string p(name);
  report.Int(p + "s", phase.completed.Total())
      .Real(p + "_per_s", phase.completed.Total() / elapsed, 0);
  AddLatency(report, latency, p + "_");
  report.Int(p + "_errors", clients.errors());
  if (clients.errors() > 0) report.Text(p + "_first_error", clients.first_error());
  report.Real(p + "_server_cpu_s", cpu.server_seconds().value_or(0), 3)
      .Real(p + "_bench_cpu_s", cpu.self_seconds(), 3);
  return clients.errors();
}

const char* Status(int64_t errors) { return errors == 0 ? "ok" : "errors"; }

}  // namespace

Report RunLogin(const BenchContext& ctx, const LoginOptions& o) {
  Report report;
  report.Text("workload", "login")
      .Text("protocol", ProtocolName(ctx.protocol))
      .Int("concurrency", o.concurrency)
      .Real("duration_s", o.duration_s, 1);
  if (ctx.protocol != Protocol::kCaucus || ctx.accounts == nullptr) {
    const int64_t errors = RunPhase(
        ctx, o, "connect",
        [&](int64_t c, int64_t n) {
          // Fresh names: a reset connection's nick may linger a moment.
          std::string name = "c";
          name.append(Base36(c)).append("_").append(Base36(n));
          return Identity{std::move(name), {}, {}};
        },
        report);
    return report.Text("status", Status(errors));
  }

  // RESUME first: LOGINs still queued for the password hasher when their
  // phase ends would go on using the server's CPU during the next phase.
  std::vector<Identity> resumable;
  for (int64_t i = 0; i < o.accounts; ++i) {
    Identity id = ctx.accounts->Get(i);
    if (!id.token.empty()) resumable.push_back(std::move(id));
  }
  if (resumable.empty()) {
    return report.Text("status", "errors").Text("first_error", "no session tokens to RESUME with");
  }
  // Client c uses accounts c, c + C, c + 2C, ...: no two clients share one.
  int64_t errors = RunPhase(
      ctx, o, "resume",
      [&](int64_t c, int64_t n) { return resumable[(c + n * o.concurrency) % resumable.size()]; },
      report);
  errors += RunPhase(
      ctx, o, "login",
      [&](int64_t c, int64_t n) {
        Identity id = ctx.accounts->Get((c + n * o.concurrency) % o.accounts);
        id.token.clear();
        return id;
      },
      report);
  return report.Text("status", Status(errors));
}

}  // namespace caucus::bench
