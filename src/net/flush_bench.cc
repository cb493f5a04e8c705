// Benchmark: lines queued to many connections in one loop turn go out in
// one system call per connection, not one per line (issue 3).
//
//   build/caucus_microbench --benchmark_filter=QueuedLines
//
// Reports sends_per_recipient: sendmsg calls per connection for the whole
// batch of lines (1 is the goal, whatever the number of lines).
#include <benchmark/benchmark.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <vector>

#include "net/loop.h"
#include "net/tcp_connection.h"

namespace caucus::net {
namespace {

class NullSink : public LineSink {
 public:
  void OnOpen(Transport*) override {}
  bool OnFrame(const protocol::LineFramer::Frame&) override { return true; }
  void OnClosed() override {}
};

void BM_QueuedLinesOneSendPerRecipient(benchmark::State& state) {
  const int recipients = static_cast<int>(state.range(0));
  const int lines = static_cast<int>(state.range(1));
  boost::asio::io_context io(1);
  Loop loop(io);
  ConnectionLimits limits;
  limits.output_pause = 64 << 20;
  std::vector<std::shared_ptr<TcpConnection>> conns;
  std::vector<int> peers;
  for (int i = 0; i < recipients; ++i) {
    int fds[2];
    ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds);
    int big = 4 << 20;
    ::setsockopt(fds[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    auto c = std::make_shared<TcpConnection>(loop, fds[0], limits);
    c->Start(std::make_shared<NullSink>());
    conns.push_back(c);
    peers.push_back(fds[1]);
  }
  const auto line = protocol::SharedLine::Copy(
      "MSG 123456 2026-11-21T19:08:00.123Z sender broadcast :a message of about sixty-four "
      "bytes\n");
  char drain[1 << 16];
  uint64_t sends = 0;
  for (auto _ : state) {
    const uint64_t before = loop.stats().sends;
    boost::asio::post(io, [&] {
      for (int l = 0; l < lines; ++l) {
        for (auto& c : conns) c->Send(line);
      }
    });
    io.poll();
    sends += loop.stats().sends - before;
    state.PauseTiming();
    for (int fd : peers) {
      while (::read(fd, drain, sizeof drain) > 0) {
      }
    }
    state.ResumeTiming();
  }
  state.counters["sends_per_recipient"] =
      static_cast<double>(sends) / static_cast<double>(state.iterations() * recipients);
  state.counters["deliveries/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * recipients * lines, benchmark::Counter::kIsRate);
  for (int fd : peers) ::close(fd);
  io.run_for(std::chrono::milliseconds(200));  // the connections see the ends and finish
}

BENCHMARK(BM_QueuedLinesOneSendPerRecipient)->Args({1000, 1})->Args({1000, 16})->Args({1000, 64});

}  // namespace
}  // namespace caucus::net
