// EventLoop: one epoll instance, driven by one thread at a time.
//
// A turn waits for readiness, hands each ready handler its events, then
// calls OnFlush() once on every handler that asked for it during the turn.
// So lines queued to one socket in a turn leave in one send(), and work
// that must not see this turn's (possibly stale) events, such as opening a
// new socket that may reuse a closed one's descriptor, runs after them.
//
// Thread-safety: none. Between runs another thread may add sockets and
// queue output (the loops of a Fleet are only touched between phases).
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace caucus::bench {

class EventLoop {
 public:
  class Handler {
   public:
    virtual void OnIo(uint32_t events) = 0;
    virtual void OnFlush() = 0;

   protected:
    ~Handler() = default;
  };

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // False (with errno set) when the epoll instance could not be created.
  bool ok() const { return epoll_fd_ >= 0; }

  // Registers, changes or removes interest in `fd`. Add returns false with
  // errno set on failure. Closing a descriptor removes it too.
  bool Add(int fd, uint32_t events, Handler* handler);
  void Modify(int fd, uint32_t events, Handler* handler);
  void Remove(int fd);

  // Calls handler->OnFlush() at the end of the current (or next) turn.
  // Handlers keep their own flag to ask once per turn.
  void RequestFlush(Handler* handler) { flush_.push_back(handler); }

  // Runs turns until `done()` holds (checked before the first turn and
  // after each) or the steady-clock deadline passes. A turn waits at most
  // `tick_ms` so that `done()` may depend on other threads. Returns done().
  bool RunUntil(const std::function<bool()>& done, int64_t deadline_ns, int tick_ms = 1);

  // A receive buffer shared by the loop's handlers, valid during OnIo.
  char* scratch() { return scratch_.data(); }
  size_t scratch_size() const { return scratch_.size(); }

 private:
  void Turn(int timeout_ms);

  int epoll_fd_;
  std::vector<epoll_event> events_;
  std::vector<Handler*> flush_;
  std::vector<Handler*> flushing_;
  std::vector<char> scratch_;
};

}  // namespace caucus::bench
