#include "net/poller.h"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>
#include <cerrno>

namespace caucus::net {
namespace {

int CreateEpoll() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) {
    throw boost::system::system_error(errno, boost::system::system_category(), "epoll_create1");
  }
  return fd;
}

}  // namespace

Poller::Poller(boost::asio::io_context& io) : epoll_fd_(CreateEpoll()), watch_(io, epoll_fd_) {
  Wait();
}

Poller::~Poller() {
  // The stream_descriptor closes epoll_fd_.
  boost::system::error_code ec;
  watch_.close(ec);
}

bool Poller::Add(int fd, Pollable* target) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.ptr = target;
  return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

void Poller::Remove(int fd) { ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

void Poller::Wait() {
  watch_.async_wait(boost::asio::posix::descriptor_base::wait_read,
                    [this](const boost::system::error_code& ec) {
                      if (!ec) Deliver();
                    });
}

void Poller::Deliver() {
  const int n = ::epoll_wait(epoll_fd_, batch_.data(), kBatch, 0);
  if (n < 0 && errno == EINTR) {
    boost::asio::post(watch_.get_executor(), [this] { Deliver(); });
    return;
  }
  for (int i = 0; i < n; ++i) {
    static_cast<Pollable*>(batch_[i].data.ptr)->OnReady(batch_[i].events);
  }
  if (n > 0) events_delivered_ += static_cast<uint64_t>(n);
  if (n == kBatch) {
    // More may be ready. Let other handlers run first, then take the next
    // batch without waiting: Asio watches the epoll descriptor
    // edge-triggered, so a new report is not to be counted on for events
    // already queued.
    boost::asio::post(watch_.get_executor(), [this] { Deliver(); });
    return;
  }
  Wait();
}

}  // namespace caucus::net
