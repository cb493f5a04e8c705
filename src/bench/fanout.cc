#include "bench/fanout.h"

#include <algorithm>
#include <atomic>
#include <optional>

#include "bench/cpu_meter.h"
#include "bench/fleet.h"
#include "bench/histogram.h"
#include "bench/launcher.h"
#include "bench/loop_counters.h"
#include "bench/payload.h"
#include "bench/population.h"
#include "bench/send_window.h"
#include "bench/workload_report.h"

namespace caucus::bench {
namespace {

// State of the senders and the probe; all of them run on loop 0.
class Control {
 public:
  Control(const FanoutOptions& o, int loops) : deliveries(loops), o_(o) {}

  void AddSender(Client* c) {
    senders_.push_back(c);
    pending_.push_back(false);
  }

  void BeginRun() {
    window_.emplace(static_cast<int>(o_.senders), o_.messages, o_.window);
    latency = LatencyHistogram();
  }

  // Queues what sender `s`'s window allows.
  void Pump(int s) {
    while (window_->CanSend(s)) {
      text_.clear();
      AppendPayload(text_, {s, window_->sent(s), NowNs()}, o_.size);
      window_->Sent(s);
      senders_[s]->Publish(text_);
      pending_[s] = true;
    }
  }

  // Sends what Pump() queued right away: the send time is in the text, so
  // waiting for the end of the generator's turn would count as latency.
  void FlushSenders() {
    for (size_t s = 0; s < senders_.size(); ++s) {
      if (!pending_[s]) continue;
      pending_[s] = false;
      senders_[s]->FlushNow();
    }
  }

  void OnProbe(std::string_view text) {
    const int64_t now = NowNs();
    auto stamp = ParsePayload(text);
    if (!stamp) {
      ++bad_payloads;
      return;
    }
    latency.Record(now - stamp->sent_ns);
    const int s = static_cast<int>(stamp->sender);
    if (window_->Received(s, stamp->seq)) Pump(s);
  }

  LatencyHistogram latency;
  int64_t bad_payloads = 0;
  LoopCounters deliveries;

 private:
  const FanoutOptions& o_;
  std::optional<SendWindow> window_;
  std::vector<Client*> senders_;
  std::vector<bool> pending_;
  std::string text_;
};

class FanoutClient final : public Client {
 public:
  FanoutClient(EventLoop& loop, Endpoints endpoints, std::unique_ptr<ProtocolAdapter> adapter,
               Control* control, int loop_index, bool probe)
      : Client(loop, endpoints, std::move(adapter)),
        control_(control),
        loop_index_(loop_index),
        probe_(probe) {}

 private:
  void OnDelivery(std::string_view text) override {
    control_->deliveries.Add(loop_index_, 1);
    if (probe_) control_->OnProbe(text);
  }
  void OnReadDone() override {
    if (probe_) control_->FlushSenders();
  }

  Control* control_;
  int loop_index_;
  bool probe_;
};

struct Measured {
  bool complete = false;
  int64_t deliveries = 0;
  double elapsed_s = 0;
  double rate = 0;
  LatencyHistogram latency;
  std::optional<CpuMeter> cpu;
};

Measured MeasureOnce(const BenchContext& ctx, const FanoutOptions& o, Fleet& fleet,
                     Control& control) {
  Measured m;
  const int64_t before = control.deliveries.Total();
  const int64_t target = before + o.senders * o.messages * (o.clients - 1);
  std::atomic<int64_t> finished_ns{0};
  control.BeginRun();
  m.cpu.emplace(ctx.server_pids);
  const int64_t start = NowNs();
  for (int s = 0; s < o.senders; ++s) control.Pump(s);
  m.complete = fleet.Run(
      [&](int) {
        if (control.deliveries.Total() < target) return false;
        int64_t none = 0;
        finished_ns.compare_exchange_strong(none, NowNs());
        return true;
      },
      ctx.Deadline());
  m.cpu->Stop();
  const int64_t end = m.complete ? finished_ns.load() : NowNs();
  m.deliveries = control.deliveries.Total() - before;
  m.elapsed_s = (end - start) / 1e9;
  m.rate = m.deliveries / m.elapsed_s;
  m.latency = control.latency;
  return m;
}

}  // namespace

Report RunFanout(const BenchContext& ctx, const FanoutOptions& o, std::string_view workload) {
  Report report;
  report.Text("workload", workload)
      .Text("protocol", ProtocolName(ctx.protocol))
      .Int("clients", o.clients)
      .Int("senders", o.senders)
      .Int("messages", o.messages)
      .Int("window", o.window)
      .Int("size", static_cast<int64_t>(o.size))
      .Int("threads", ctx.threads)
      .Int("repeat", o.repeat);

  Fleet fleet(ctx.threads);
  Control control(o, fleet.size());
  Population<FanoutClient> clients(fleet.size());
  Population<FanoutClient> probe(1);
  const int64_t probe_index = o.clients - 1;
  for (int64_t i = 0; i < o.clients; ++i) {
    const bool is_probe = i == probe_index;
    // Senders and the probe share loop 0 with the window they drive.
    const int loop = (i < o.senders || is_probe) ? 0 : static_cast<int>(i % fleet.size());
    auto client = std::make_unique<FanoutClient>(fleet.loop(loop), ctx.EndpointsFor(i, o.clients),
                                                 ctx.AdapterFor(i, {.broadcast = true}), &control,
                                                 loop, is_probe);
    FanoutClient& added =
        is_probe ? probe.Add(0, std::move(client)) : clients.Add(loop, std::move(client));
    if (i < o.senders) control.AddSender(&added);
  }

  // Everyone but the probe, then the probe: it joins last, so it is at the
  // end of any join-ordered member list and sees the whole fan-out's delay.
  const int64_t setup_start = NowNs();
  LaunchResult launched = LaunchAll(fleet, clients.by_loop(), ctx.in_flight, ctx.Deadline());
  if (launched.ok()) {
    std::vector<std::vector<Client*>> probe_only(fleet.size());
    probe_only[0] = probe.by_loop()[0];
    launched = LaunchAll(fleet, probe_only, 1, ctx.Deadline());
  }
  clients.LearnTokens(ctx.accounts);
  probe.LearnTokens(ctx.accounts);
  if (!launched.ok()) return FailedSetup(report, launched);
  std::vector<std::vector<Client*>> everyone = clients.by_loop();
  everyone[0].push_back(probe.all()[0].get());
  if (!SyncAll(fleet, everyone, ctx.Deadline())) return FailedSync(report, clients.first_error());
  report.Real("setup_s", (NowNs() - setup_start) / 1e9, 2);

  std::vector<Measured> runs;
  for (int r = 0; r < o.repeat; ++r) {
    runs.push_back(MeasureOnce(ctx, o, fleet, control));
    if (!runs.back().complete || !SyncAll(fleet, everyone, ctx.Deadline())) break;
  }
  std::vector<double> rates;
  for (const Measured& m : runs) rates.push_back(m.rate);
  std::sort(rates.begin(), rates.end());
  const double median_rate = rates[(rates.size() - 1) / 2];
  const Measured& m = *std::find_if(runs.begin(), runs.end(),
                                    [&](const Measured& x) { return x.rate == median_rate; });
  const bool complete = std::all_of(runs.begin(), runs.end(), [](auto& x) { return x.complete; });

  const int64_t errors = clients.errors() + probe.errors() + control.bad_payloads;
  report.Text("status", complete && errors == 0 ? "ok" : (complete ? "errors" : "timeout"))
      .Int("deliveries", m.deliveries)
      .Int("expected", o.senders * o.messages * (o.clients - 1))
      .Real("elapsed_s", m.elapsed_s, 3)
      .Real("deliveries_per_s", m.rate, 0)
      .Real("min_deliveries_per_s", rates.front(), 0)
      .Real("max_deliveries_per_s", rates.back(), 0);
  AddLatency(report, m.latency, "");
  report.Int("errors", errors);
  m.cpu->AddTo(report, m.deliveries, "delivery");
  if (errors > 0) report.Text("first_error", clients.first_error() + probe.first_error());
  return report;
}

}  // namespace caucus::bench
