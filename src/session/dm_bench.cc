// Benchmark: what one direct message costs the server's loop thread, from
// the `SEND` line to the sender's `OK SEND` and the recipient's `MSG`
// (issue 19), through the real dispatcher, domain and SQLite store (the
// message log's insert included, on the store's writer thread).
//
//   build/caucus_microbench --benchmark_filter=DirectMessage
//
// Reports allocs_loop_per_dm (the loop thread's turn for the SEND:
// parsing, dispatch, formatting, handing the log write to the store) and
// allocs_rest_per_dm (the store's writer and the completion's hand-back,
// which here goes through the test store's queue, not Asio's). Shared lines
// (the MSG and the reply) are allocated with malloc, not counted: one each.
// The goal is as few as the message's own data needs.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "core/caucus.h"
#include "core/secrets.h"
#include "session/client_session.h"
#include "session/session_host.h"
#include "store/testing/temp_store.h"

// Counted by the replacement operator new in core/alloc_count_bench.cc.
uint64_t AllocationCount();
uint64_t ThreadAllocationCount();

namespace caucus::session {
namespace {

// Hashes cheaply (the benchmark measures messages, not Argon2id).
class QuickHasher : public core::PasswordHasher {
 public:
  void Hash(std::string pw, std::function<void(std::optional<std::string>)> done) override {
    done("quick:" + pw);
  }
  void Verify(std::string hash, std::string pw,
              std::function<void(core::Verification)> done) override {
    done({hash == "quick:" + pw, false});
  }
};

class NoTimers : public core::Scheduler {
 public:
  TimerId At(core::TimeMs, std::function<void()>) override { return ++next_; }
  void Cancel(TimerId) override {}

 private:
  TimerId next_ = 0;
};

class Host : public SessionHost {
 public:
  Host(core::Caucus& c, store::testing::TempStore& store) : caucus_(c), store_(store) {
    limits_.commands_per_second = 0;  // the benchmark's sender is a flood
  }
  core::Caucus& caucus() override { return caucus_; }
  const SessionLimits& limits() const override { return limits_; }
  void Post(std::function<void()> fn) override { store_.Post(std::move(fn)); }
  void Opened(ClientSession*) override {}
  void Closed(ClientSession*) override {}
  void LoggedIn(ClientSession*) override {}
  void Active(ClientSession*) override {}

 private:
  core::Caucus& caucus_;
  store::testing::TempStore& store_;
  SessionLimits limits_;
};

// Takes what the server writes as a connection would, without copying it.
class Wire : public net::Transport {
 public:
  void Send(const protocol::SharedLine& bytes) override {
    ++lines;
    last_size = bytes.view().size();
  }
  size_t Queued() const override { return 0; }
  void CloseAfterFlush() override {}
  void Abort(const protocol::SharedLine&) override {}
  void Close() override {}
  void ResumeInput() override {}
  uint64_t lines = 0;
  size_t last_size = 0;
};

struct Client {
  Wire wire;
  std::shared_ptr<ClientSession> session;
  void Say(const std::string& line) { session->OnFrame({protocol::LineFramer::Kind::kLine, line}); }
};

void BM_DirectMessage(benchmark::State& state) {
  core::InitSecrets();
  store::testing::TempStore store;
  core::Config config;
  QuickHasher hasher;
  core::SystemClock clock;
  NoTimers timers;
  core::Caucus caucus(config, store.store(), hasher, clock, timers, store.keys());
  Host host(caucus, store);
  Client alice, bob;
  uint64_t id = 0;
  for (auto [c, name] : {std::pair<Client*, std::string>{&alice, "alice"}, {&bob, "bob"}}) {
    c->session = std::make_shared<ClientSession>(host, ++id, "127.0.0.1");
    c->session->OnOpen(&c->wire);
    c->Say("REGISTER " + name + " password-of-" + name);
    store.Pump();
    c->Say("LOGIN " + name + " password-of-" + name);
    store.Pump();
  }
  const std::string line = "SEND bob :" + std::string(64, 'x');
  uint64_t loop = 0, all = 0;
  const uint64_t bob_before = bob.wire.lines;
  for (auto _ : state) {
    const uint64_t all_before = AllocationCount();
    const uint64_t loop_before = ThreadAllocationCount();
    alice.Say(line);  // the loop's whole turn: OK SEND and MSG are out
    loop += ThreadAllocationCount() - loop_before;
    store.Pump();  // the log's insert, on the writer thread, and its completion
    all += AllocationCount() - all_before;
  }
  if (bob.wire.lines - bob_before != static_cast<uint64_t>(state.iterations())) {
    state.SkipWithError("a message did not reach bob");
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["allocs_loop_per_dm"] = static_cast<double>(loop) / n;
  state.counters["allocs_rest_per_dm"] = static_cast<double>(all - loop) / n;
  alice.session->OnClosed();
  bob.session->OnClosed();
  store.Pump();
}

BENCHMARK(BM_DirectMessage);

}  // namespace
}  // namespace caucus::session
