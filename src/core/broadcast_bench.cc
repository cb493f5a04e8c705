// Benchmark: a broadcast to N online users is formatted once and queued to
// every recipient without an allocation per recipient (issue 3).
//
//   build/caucus_microbench --benchmark_filter=Broadcast
//
// Reports allocs_per_recipient (0 is the goal: the only allocations of a
// broadcast are its one shared line and its message-log write).
#include <benchmark/benchmark.h>

#include <cstdint>

#include "core/caucus.h"
#include "core/peer.h"
#include "net/out_queue.h"
#include "store/testing/temp_store.h"

// Counted by the replacement operator new in alloc_count_bench.cc.
uint64_t AllocationCount();

namespace caucus::core {
namespace {

// A peer that queues events as a connection would (net::OutQueue).
class QueuePeer : public Peer {
 public:
  void Deliver(const protocol::SharedLine& event) override {
    queue.Push(event);
    if (queue.bytes() > (1 << 20)) queue.Consume(queue.bytes());
  }
  void End(protocol::Bye) override {}
  net::OutQueue queue;
};

class NoHasher : public PasswordHasher {
 public:
  void Hash(std::string, std::function<void(std::optional<std::string>)>) override {}
  void Verify(std::string, std::string, std::function<void(Verification)>) override {}
};

class NoScheduler : public Scheduler {
 public:
  TimerId At(TimeMs, std::function<void()>) override { return 0; }
  void Cancel(TimerId) override {}
};

void BM_BroadcastFanout(benchmark::State& state) {
  const int recipients = static_cast<int>(state.range(0));
  store::testing::TempStore store;
  Config config;
  NoHasher hasher;
  SystemClock clock;
  NoScheduler scheduler;
  Caucus caucus(config, store.store(), hasher, clock, scheduler, store.keys());
  struct Online {
    QueuePeer peer;
    std::shared_ptr<Session> session = std::make_shared<Session>();
  };
  std::vector<std::unique_ptr<Online>> users;
  for (int i = 0; i <= recipients; ++i) {
    auto& a = caucus.world().directory.Upsert({i + 1, "user" + std::to_string(i), false, 0, 0});
    auto u = std::make_unique<Online>();
    u->session->peer = &u->peer;
    u->session->account = &a;
    caucus.world().presence.Attach(*u->session);
    users.push_back(std::move(u));
  }
  for (auto& u : users) u->peer.queue.Consume(u->peer.queue.bytes());  // presence events
  const std::string text(64, 'x');
  uint64_t allocations = 0;
  for (auto _ : state) {
    const uint64_t before = AllocationCount();
    caucus.messaging().Broadcast(users[0]->session, text, [](Outcome<Messaging::Broadcasted>) {});
    allocations += AllocationCount() - before;
    state.PauseTiming();
    store.Pump();  // the message-log writes
    state.ResumeTiming();
  }
  state.counters["allocs_per_recipient"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations() * recipients);
  state.counters["allocs_per_broadcast"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations());
  state.counters["deliveries/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * recipients, benchmark::Counter::kIsRate);
}

BENCHMARK(BM_BroadcastFanout)->Arg(100)->Arg(1000)->Arg(10000);

}  // namespace
}  // namespace caucus::core
