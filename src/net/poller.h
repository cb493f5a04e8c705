// Poller: the event loop's own epoll set for client sockets.
//
// Asio keeps, for every socket it watches, a descriptor record and, while
// a read is awaited, an operation object: about 330 bytes per idle client.
// Client sockets are watched here instead: each is registered once,
// edge-triggered, for input, output and hang-up, pointing at its
// connection; the epoll descriptor itself is the one thing Asio waits on.
// A watched socket costs the kernel's epoll entry and nothing in user
// space.
//
// Edge-triggered means an event is reported once per change: a connection
// waits for an event only after a read or write has answered EAGAIN, and
// otherwise reads or writes again on its own (see TcpConnection).
//
// Lifetime: events are delivered to the Pollable by raw pointer, so a
// Pollable must stay alive until the batch being delivered is done. Remove()
// (or closing the descriptor) stops further events; an object that removes
// itself frees its memory from a posted handler, not in place.
//
// Thread-safety: event loop thread only.
#pragma once

#include <sys/epoll.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>

namespace caucus::net {

class Pollable {
 public:
  virtual ~Pollable() = default;
  // Some of EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLHUP, EPOLLERR.
  virtual void OnReady(uint32_t events) = 0;
};

class Poller {
 public:
  explicit Poller(boost::asio::io_context& io);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // Watches `fd` until Remove(fd) or its close. Returns false (errno set)
  // when the kernel refuses, e.g. over fs.epoll.max_user_watches.
  bool Add(int fd, Pollable* target);
  void Remove(int fd);

  // Events delivered so far (for /metrics and benchmarks).
  uint64_t events() const { return events_delivered_; }

 private:
  void Wait();
  void Deliver();

  static constexpr int kBatch = 256;
  int epoll_fd_;
  boost::asio::posix::stream_descriptor watch_;  // Asio's view of epoll_fd_
  std::array<epoll_event, kBatch> batch_{};
  uint64_t events_delivered_ = 0;
};

}  // namespace caucus::net
