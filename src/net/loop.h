// Loop: the event loop's io_context, plus what all connections on it share:
// the epoll set of client sockets (Poller), the deferred flush pass and the
// read scratch buffer.
//
// Output is not written the moment it is queued: a connection asks for a
// flush, and one pass after the current batch of handlers writes every
// such connection once. A broadcast to N sessions thus costs one writev per
// recipient for all the lines queued in that turn, not one per line.
//
// Thread-safety: event loop thread only (Post() aside, which Asio makes safe).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "net/poller.h"

namespace caucus::net {

class Flushable {
 public:
  virtual ~Flushable() = default;
  virtual void Flush() = 0;
};

class Loop {
 public:
  explicit Loop(boost::asio::io_context& io) : io_(io), poller_(io) {}
  boost::asio::io_context& io() { return io_; }
  Poller& poller() { return poller_; }

  // Flushes `c` once, after the handlers already queued have run.
  void ScheduleFlush(std::shared_ptr<Flushable> c);

  // Scratch space for reads: every connection reads here, then keeps only
  // what is left of an unfinished line.
  char* scratch() { return scratch_.get(); }
  static constexpr size_t kScratchSize = 64 * 1024;

  // What the loop's connections have done, for /metrics and benchmarks.
  struct Stats {
    uint64_t sends = 0;  // sendmsg calls
    uint64_t bytes_sent = 0;
    uint64_t reads = 0;  // read calls that returned data
    uint64_t bytes_read = 0;
  };
  Stats& stats() { return stats_; }

 private:
  void FlushAll();

  boost::asio::io_context& io_;
  Poller poller_;
  std::vector<std::shared_ptr<Flushable>> pending_;
  std::vector<std::shared_ptr<Flushable>> running_;
  bool posted_ = false;
  Stats stats_;
  std::unique_ptr<char[]> scratch_{new char[kScratchSize]};
};

}  // namespace caucus::net
