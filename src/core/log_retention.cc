#include "core/log_retention.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "protocol/wire_time.h"

namespace caucus::core {

struct LogRetention::Pass {
  TimeMs before_ms = 0;
  store::LogPosition after;
  Pruned pruned;
  Reply<Pruned> done;
};

LogRetention::~LogRetention() {
  if (timer_ != 0) w_.scheduler.Cancel(timer_);
}

void LogRetention::Prune(TimeMs before_ms, Reply<Pruned> done) {
  CAUCUS_ASSERT_IN_LOOP(w_.loop_thread);
  auto pass = std::make_shared<Pass>();
  pass->before_ms = before_ms;
  pass->done = std::move(done);
  Step(std::move(pass));
}

void LogRetention::Step(std::shared_ptr<Pass> pass) {
  const TimeMs before_ms = pass->before_ms;
  const store::LogPosition after = pass->after;
  w_.store.PruneMessages(before_ms, after, kStep,
                         [this, pass = std::move(pass)](store::Result<store::PruneStep> r) {
                           CAUCUS_ASSERT_IN_LOOP(w_.loop_thread);
                           if (!r.ok()) {
                             spdlog::error("message log: pruning failed after {} messages: {}",
                                           pass->pruned.deleted, r.status().message());
                             return pass->done(Fail(protocol::Code::kInternal));
                           }
                           ++pass->pruned.steps;
                           pass->pruned.deleted += r->deleted;
                           pass->pruned.kept_queued += r->examined - r->deleted;
                           if (r->examined < kStep) return pass->done(pass->pruned);
                           pass->after = r->last;
                           Step(pass);
                         });
}

void LogRetention::Start() {
  if (w_.config.history_retention_ms <= 0) return;
  spdlog::info("message log: messages older than {} s are pruned every minute (retention)",
               w_.config.history_retention_ms / 1000);
  timer_ = w_.scheduler.At(w_.clock.Now(), [this] { Periodic(); });
}

void LogRetention::Periodic() {
  timer_ = 0;
  const TimeMs started = w_.clock.Now();
  const TimeMs before_ms = started - w_.config.history_retention_ms;
  Prune(before_ms, [this, started, before_ms](Outcome<Pruned> o) {
    const TimeMs now = w_.clock.Now();
    if (o.ok() && o->deleted > 0) {
      spdlog::info(
          "message log: pruned {} message(s) logged before {} (retention) in {} steps, {} ms; {} "
          "older wait in offline queues",
          o->deleted, protocol::FormatTime(before_ms), o->steps, now - started, o->kept_queued);
    }
    // A pass a minute; one that took longer is followed at once.
    timer_ = w_.scheduler.At(std::max(started + kEvery, now), [this] { Periodic(); });
  });
}

}  // namespace caucus::core
