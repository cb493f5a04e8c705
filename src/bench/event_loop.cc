#include "bench/event_loop.h"

#include <unistd.h>

#include <algorithm>

#include "bench/payload.h"

namespace caucus::bench {

EventLoop::EventLoop()
    : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)), events_(512), scratch_(256 * 1024) {}

EventLoop::~EventLoop() {
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

bool EventLoop::Add(int fd, uint32_t events, Handler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

void EventLoop::Modify(int fd, uint32_t events, Handler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::Remove(int fd) { ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

void EventLoop::Turn(int timeout_ms) {
  const int n = ::epoll_wait(epoll_fd_, events_.data(), static_cast<int>(events_.size()),
                             flush_.empty() ? timeout_ms : 0);
  for (int i = 0; i < n; ++i) {
    static_cast<Handler*>(events_[i].data.ptr)->OnIo(events_[i].events);
  }
  // Requests made during OnFlush (a handler that restarts and then queues
  // output) belong to the next turn, which then does not wait.
  flushing_.swap(flush_);
  for (Handler* h : flushing_) h->OnFlush();
  flushing_.clear();
}

bool EventLoop::RunUntil(const std::function<bool()>& done, int64_t deadline_ns, int tick_ms) {
  while (!done()) {
    const int64_t left_ns = deadline_ns - NowNs();
    if (left_ns <= 0) return false;
    const int64_t left_ms = (left_ns + 999'999) / 1'000'000;
    Turn(static_cast<int>(std::min<int64_t>(tick_ms, left_ms)));
  }
  return true;
}

}  // namespace caucus::bench
