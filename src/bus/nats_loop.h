// NatsLoop: the NATS C client's socket driven by the node's own event loop
// (natsOptions_SetEventLoop) rather than by the client's reader and flusher
// threads.
//
// With its own threads, every bus message cost hand-overs between threads:
// the reader's to a subscription's delivery thread, that thread's to the
// loop, and each publication's to the flusher, which wrote it. On this
// 2-core machine a RESUME across three nodes (an ATTACH, a SYNC and two
// ACKs, a DETACH) took 44 context switches and about 1 ms of CPU. Here the
// loop reads the socket when it is readable, the client parses what was
// read into its subscriptions' queues on the loop, and `after_read` takes
// the messages out at once (synchronous subscriptions: no delivery thread);
// a publication appends to the client's buffer, and the loop writes the
// buffer once per turn, however many publications it holds.
//
// The client still has threads of its own for what is rare: reconnecting
// (it connects the new socket, then calls Attach again), the PING timer and
// the connection callbacks. The callbacks below may therefore come from any
// thread; they only post to the loop. The loop watches a duplicate of the
// client's descriptor, so that the client closing its own (at a reconnect)
// never leaves the loop watching a number that a new socket may reuse.
//
// Thread-safety: Install, FlushNow and Close on the loop thread (or before
// it runs); the static callbacks from any thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

struct __natsConnection;
struct __natsOptions;

namespace caucus::bus {

class NatsLoop : public std::enable_shared_from_this<NatsLoop> {
 public:
  // `after_read` runs on the loop after each read of the socket.
  NatsLoop(boost::asio::io_context& io, std::function<void()> after_read);
  // Makes `opts` drive its connections from this loop. The NatsLoop must
  // outlive the connection (until natsConnection_Close has returned).
  bool Install(__natsOptions* opts);
  // Writes what the client holds for the broker, waiting at most `timeout`
  // for the socket: a bus closing says its last words.
  void FlushNow(__natsConnection* nc, std::chrono::milliseconds timeout);
  // From now on the loop leaves the connection alone: call it before
  // closing the connection.
  void Close();

 private:
  struct Socket {
    Socket(boost::asio::io_context& io, int fd, uint64_t generation)
        : descriptor(io, fd), generation(generation) {}
    boost::asio::posix::stream_descriptor descriptor;
    uint64_t generation;
    bool read_armed = false;
    bool write_armed = false;
  };

  friend struct NatsLoopCallbacks;  // the client's callbacks (nats_loop.cc)

  // On the loop.
  void Watch(__natsConnection* nc, int fd, uint64_t generation);
  void Drop(uint64_t generation);  // 0: whatever is watched
  void ArmRead();
  void Flush();

  boost::asio::io_context& io_;
  std::function<void()> after_read_;
  std::atomic<uint64_t> generation_{0};  // one per attached socket
  std::atomic<bool> want_read_{false};
  std::atomic<bool> flush_posted_{false};
  // The loop's only.
  __natsConnection* nc_ = nullptr;
  std::shared_ptr<Socket> socket_;
  bool closed_ = false;
};

}  // namespace caucus::bus
