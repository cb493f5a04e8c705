// Loop: the event loop's io_context, plus what all connections on it share:
// the deferred flush pass and the read scratch buffer.
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
#include <memory>
#include <vector>

namespace caucus::net {

class Flushable {
 public:
  virtual ~Flushable() = default;
  virtual void Flush() = 0;
};

class Loop {
 public:
  explicit Loop(boost::asio::io_context& io) : io_(io) {}
  boost::asio::io_context& io() { return io_; }

  // Flushes `c` once, after the handlers already queued have run.
  void ScheduleFlush(std::shared_ptr<Flushable> c);

  // Scratch space for reads: every connection reads here, then keeps only
  // what is left of an unfinished line.
  char* scratch() { return scratch_.get(); }
  static constexpr size_t kScratchSize = 64 * 1024;

 private:
  void FlushAll();

  boost::asio::io_context& io_;
  std::vector<std::shared_ptr<Flushable>> pending_;
  std::vector<std::shared_ptr<Flushable>> running_;
  bool posted_ = false;
  std::unique_ptr<char[]> scratch_{new char[kScratchSize]};
};

}  // namespace caucus::net
