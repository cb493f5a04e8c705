// LogRetention: keeps the message log within a window of time
// (Config::history_retention_ms, caucusd's --history-retention), and prunes
// it on demand (`caucusd log prune`).
//
// A pass deletes the messages logged before a cut-off, but never one that
// waits in an offline queue: that one stays until it is handed over, and
// goes in a later pass. A pass goes in steps of kStep messages, each a
// store transaction of its own on the writer's background lane
// (MessageStore::PruneMessages), the next submitted once the one before has
// committed: clients' writes go between the steps, and the event loop never
// waits for a pass.
//
// Thread-safety: event loop thread only.
#pragma once

#include <cstdint>
#include <memory>

#include "core/outcome.h"
#include "core/world.h"

namespace caucus::core {

class LogRetention {
 public:
  // Messages looked at per step: a few milliseconds of the writer's time.
  static constexpr int kStep = 5000;
  // Between the starts of two periodic passes (or less: one that took
  // longer is followed at once).
  static constexpr TimeMs kEvery = 60'000;

  explicit LogRetention(World& world) : w_(world) {}
  ~LogRetention();
  LogRetention(const LogRetention&) = delete;
  LogRetention& operator=(const LogRetention&) = delete;

  struct Pruned {
    int64_t deleted = 0;      // messages deleted
    int64_t kept_queued = 0;  // older ones kept: they wait in an offline queue
    int64_t steps = 0;        // store transactions it took
  };
  // One pass over the messages logged before `before_ms`; answers once it
  // is over, or INTERNAL when a step failed (what was deleted until then
  // stays deleted).
  void Prune(TimeMs before_ms, Reply<Pruned> done);

  // With a retention set, runs a pass (cut-off: now minus the retention)
  // once the loop runs, then every kEvery. Without one, does nothing:
  // messages are kept for ever.
  void Start();

 private:
  struct Pass;
  void Step(std::shared_ptr<Pass> pass);
  void Periodic();

  World& w_;
  Scheduler::TimerId timer_ = 0;  // the next periodic pass; 0 = none
};

}  // namespace caucus::core
