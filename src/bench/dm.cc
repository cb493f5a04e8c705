#include "bench/dm.h"

#include "bench/cpu_meter.h"
#include "bench/fleet.h"
#include "bench/histogram.h"
#include "bench/launcher.h"
#include "bench/loop_counters.h"
#include "bench/payload.h"
#include "bench/population.h"
#include "bench/workload_report.h"

namespace caucus::bench {
namespace {

struct Shared {
  explicit Shared(int loops) : messages(loops), round_trips(loops) {}
  LoopCounters messages;
  std::vector<LatencyHistogram> round_trips;  // one per loop
  size_t size = 64;
  int64_t rounds = 0;
};

class DmClient final : public Client {
 public:
  DmClient(EventLoop& loop, Endpoints endpoints, std::unique_ptr<ProtocolAdapter> adapter,
           Shared* shared, int loop_index, int64_t pair, bool initiator)
      : Client(loop, endpoints, std::move(adapter)),
        shared_(shared),
        loop_index_(loop_index),
        pair_(pair),
        initiator_(initiator) {}

  void set_partner(std::string name) { partner_ = std::move(name); }

  // Sends the next round's message (initiators only).
  void SendNext() {
    text_.clear();
    AppendPayload(text_, {pair_, done_, NowNs()}, shared_->size);
    Direct(partner_, text_);
  }

 private:
  void OnDelivery(std::string_view text) override {
    shared_->messages.Add(loop_index_, 1);
    if (!initiator_) {
      Direct(partner_, text);  // the echo
      return;
    }
    const int64_t now = NowNs();
    if (auto stamp = ParsePayload(text))
      shared_->round_trips[loop_index_].Record(now - stamp->sent_ns);
    if (++done_ < shared_->rounds) SendNext();
  }
  // The send time is in the text: answer now, not at the end of the turn.
  void OnReadDone() override { FlushNow(); }

  Shared* shared_;
  int loop_index_;
  int64_t pair_;
  bool initiator_;
  std::string partner_;
  int64_t done_ = 0;
  std::string text_;
};

}  // namespace

Report RunDm(const BenchContext& ctx, const DmOptions& o) {
  Report report;
  report.Text("workload", "dm")
      .Text("protocol", ProtocolName(ctx.protocol))
      .Int("pairs", o.pairs)
      .Int("rounds", o.rounds)
      .Int("size", static_cast<int64_t>(o.size))
      .Int("threads", ctx.threads);
  if (o.pairs_on != PairsOn::kByIndex) report.Text("pairs_on", PairsOnName(o.pairs_on));
  if (o.pairs_on == PairsOn::kAcross && ctx.server_count() < 2) {
    return report.Text("status", "error")
        .Text("first_error", "--pairs-on across needs two servers or more");
  }

  Fleet fleet(ctx.threads);
  Shared shared(fleet.size());
  shared.size = o.size;
  shared.rounds = o.rounds;
  Population<DmClient> clients(fleet.size());
  std::vector<DmClient*> initiators;
  const int64_t total = 2 * o.pairs;
  for (int64_t p = 0; p < o.pairs; ++p) {
    const int loop = static_cast<int>(p % fleet.size());
    const PairServers on = ServersOfPair(p, ctx.server_count(), o.pairs_on);
    auto make = [&](int64_t i, bool initiator) {
      const int server = initiator ? on.first : on.second;
      return std::make_unique<DmClient>(fleet.loop(loop), ctx.EndpointsOn(server, i, total),
                                        ctx.AdapterFor(i, {.inbox = true}), &shared, loop, p,
                                        initiator);
    };
    DmClient& a = clients.Add(loop, make(2 * p, true));
    DmClient& b = clients.Add(loop, make(2 * p + 1, false));
    a.set_partner(b.adapter().name());
    b.set_partner(a.adapter().name());
    initiators.push_back(&a);
  }

  const int64_t setup_start = NowNs();
  const LaunchResult launched = LaunchAll(fleet, clients.by_loop(), ctx.in_flight, ctx.Deadline());
  clients.LearnTokens(ctx.accounts);
  if (!launched.ok()) return FailedSetup(report, launched);
  if (!SyncAll(fleet, clients.by_loop(), ctx.Deadline())) {
    return FailedSync(report, clients.first_error());
  }
  report.Real("setup_s", (NowNs() - setup_start) / 1e9, 2);

  const int64_t expected = 2 * o.pairs * o.rounds;
  CpuMeter cpu(ctx.server_pids);
  const int64_t start = NowNs();
  for (DmClient* a : initiators) a->SendNext();
  const bool complete =
      fleet.Run([&](int) { return shared.messages.Total() >= expected; }, ctx.Deadline());
  const int64_t end = NowNs();
  cpu.Stop();

  LatencyHistogram round_trips;
  for (const auto& h : shared.round_trips) round_trips.Merge(h);
  const int64_t messages = shared.messages.Total();
  const double elapsed = (end - start) / 1e9;
  const int64_t errors = clients.errors();
  report.Text("status", complete && errors == 0 ? "ok" : (complete ? "errors" : "timeout"))
      .Int("messages", messages)
      .Int("expected", expected)
      .Real("elapsed_s", elapsed, 3)
      .Real("messages_per_s", messages / elapsed, 0);
  AddLatency(report, round_trips, "rtt_");
  report.Int("errors", errors);
  cpu.AddTo(report, messages, "message");
  if (errors > 0) report.Text("first_error", clients.first_error());
  return report;
}

}  // namespace caucus::bench
