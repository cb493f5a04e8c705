#include "bench/vote.h"

#include "bench/cpu_meter.h"
#include "bench/fleet.h"
#include "bench/histogram.h"
#include "bench/launcher.h"
#include "bench/line_words.h"
#include "bench/loop_counters.h"
#include "bench/payload.h"
#include "bench/poll_admin.h"
#include "bench/population.h"
#include "bench/workload_report.h"
#include "protocol/line_builder.h"

namespace caucus::bench {
namespace {

struct Shared {
  explicit Shared(int loops) : votes(loops), failed(loops), latency(loops) {}
  LoopCounters votes;
  LoopCounters failed;                    // votes answered with an error
  std::vector<LatencyHistogram> latency;  // per loop: VOTE to OK VOTE
  std::vector<std::string> polls;
};

// Votes once in every poll, in order, one VOTE in flight.
class Voter final : public Client {
 public:
  Voter(EventLoop& loop, Endpoints endpoints, std::unique_ptr<ProtocolAdapter> adapter,
        Shared* shared, int loop_index, int option)
      : Client(loop, endpoints, std::move(adapter)),
        shared_(shared),
        loop_index_(loop_index),
        option_(option) {}

  void VoteNext() {
    if (next_ >= shared_->polls.size()) return;
    line_.clear();
    protocol::LineBuilder(line_).Word("VOTE").Word(shared_->polls[next_]).Int(option_).End();
    sent_ = NowNs();
    SendRaw(line_);
  }

 private:
  void OnReply(std::string_view line) override {
    if (NthWord(line, 1) != "VOTE") return;
    shared_->latency[loop_index_].Record(NowNs() - sent_);
    shared_->votes.Add(loop_index_, 1);
    ++next_;
    VoteNext();
  }
  void OnError(std::string_view line) override {
    Client::OnError(line);
    shared_->failed.Add(loop_index_, 1);
    ++next_;
    VoteNext();
  }

  Shared* shared_;
  int loop_index_;
  int option_;
  size_t next_ = 0;
  int64_t sent_ = 0;
  std::string line_;
};

}  // namespace

Report RunVote(const BenchContext& ctx, const VoteOptions& o) {
  Report report;
  report.Text("workload", "vote")
      .Text("protocol", ProtocolName(ctx.protocol))
      .Int("voters", o.voters)
      .Int("polls", o.polls)
      .Real("settle_s", o.settle_s, 1);
  if (ctx.protocol != Protocol::kCaucus || ctx.accounts == nullptr) {
    return report.Text("status", "unsupported").Text("reason", "polls are a Caucus feature");
  }

  Fleet fleet(ctx.threads);
  Population<PollAdmin> admin(1);
  PollAdmin& a = admin.Add(0, std::make_unique<PollAdmin>(
                                  fleet.loop(0), ctx.EndpointsFor(0, 1),
                                  ctx.AdapterFor(ctx.accounts->GetByName(o.admin), {}), o.polls));
  std::vector<std::vector<Client*>> admin_only(fleet.size());
  admin_only[0] = admin.by_loop()[0];
  LaunchResult launched = LaunchAll(fleet, admin_only, 1, ctx.Deadline());
  admin.LearnTokens(ctx.accounts);
  if (!launched.ok()) return FailedSetup(report, launched);
  a.Begin();
  fleet.Run([&](int i) { return i != 0 || a.done(); }, ctx.Deadline());
  if (a.unsupported()) {
    return report.Text("status", "unsupported").Text("reason", a.failure());
  }
  if (!a.done() || !a.failure().empty()) {
    return report.Text("status", "setup_failed").Text("first_error", a.failure());
  }

  if (o.settle_s > 0) {
    const int64_t until = NowNs() + static_cast<int64_t>(o.settle_s * 1e9);
    fleet.Run([&](int) { return NowNs() >= until; }, ctx.Deadline());
  }

  Shared shared(fleet.size());
  shared.polls = a.poll_ids();
  Population<Voter> voters(fleet.size());
  for (int64_t i = 0; i < o.voters; ++i) {
    const int loop = static_cast<int>(i % fleet.size());
    voters.Add(loop, std::make_unique<Voter>(fleet.loop(loop), ctx.EndpointsFor(i, o.voters),
                                             ctx.AdapterFor(i, {}), &shared, loop,
                                             static_cast<int>(i % 2) + 1));
  }
  launched = LaunchAll(fleet, voters.by_loop(), ctx.in_flight, ctx.Deadline());
  voters.LearnTokens(ctx.accounts);
  if (!launched.ok()) return FailedSetup(report, launched);

  const int64_t expected = o.voters * o.polls;
  CpuMeter cpu(ctx.server_pids);
  const int64_t start = NowNs();
  for (const auto& v : voters.all()) v->VoteNext();
  const bool complete =
      fleet.Run([&](int) { return shared.votes.Total() + shared.failed.Total() >= expected; },
                ctx.Deadline());
  const int64_t end = NowNs();
  cpu.Stop();

  LatencyHistogram latency;
  for (const auto& h : shared.latency) latency.Merge(h);
  const int64_t votes = shared.votes.Total();
  const int64_t errors = voters.errors();
  const double elapsed = (end - start) / 1e9;
  report.Text("status", complete && errors == 0 ? "ok" : (complete ? "errors" : "timeout"))
      .Int("votes", votes)
      .Int("expected", expected)
      .Real("elapsed_s", elapsed, 3)
      .Real("votes_per_s", votes / elapsed, 0);
  AddLatency(report, latency, "");
  report.Int("errors", errors);
  cpu.AddTo(report, votes, "vote");
  if (errors > 0) report.Text("first_error", voters.first_error());
  return report;
}

}  // namespace caucus::bench
