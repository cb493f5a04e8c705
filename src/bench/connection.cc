#include "bench/connection.h"

#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace caucus::bench {
namespace {

constexpr size_t kMaxLine = 64 * 1024;
constexpr int kReadsPerEvent = 4;  // then let the other sockets have a turn

}  // namespace

Connection::Connection(EventLoop& loop, Listener& listener, Endpoints endpoints)
    : loop_(loop), listener_(listener), endpoints_(endpoints), framer_(kMaxLine) {}

Connection::~Connection() { Close(); }

bool Connection::Open(std::string* why) {
  Close();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    *why = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (endpoints_.source) {
    // Let connect() pick the port, so each source address has the full range.
    ::setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&*endpoints_.source), sizeof(sockaddr_in)) !=
        0) {
      *why = std::string("bind: ") + std::strerror(errno);
      Close();
      return false;
    }
  }
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&endpoints_.server), sizeof(sockaddr_in)) !=
          0 &&
      errno != EINPROGRESS) {
    *why = std::string("connect: ") + std::strerror(errno);
    Close();
    return false;
  }
  if (!loop_.Add(fd_, EPOLLOUT, this)) {
    *why = std::string("epoll: ") + std::strerror(errno);
    Close();
    return false;
  }
  state_ = State::kConnecting;
  return true;
}

void Connection::Reopen() {
  Close();
  reopen_pending_ = true;
  RequestFlush();
}

void Connection::Close() {
  if (fd_ >= 0) {
    const linger reset{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::close(fd_);  // also leaves the epoll set
    fd_ = -1;
  }
  state_ = State::kClosed;
  ++generation_;
  watching_output_ = false;
  framer_ = protocol::LineFramer(kMaxLine);
  out_.clear();
  out_sent_ = 0;
}

void Connection::Fail(std::string_view why) {
  Close();
  listener_.OnClosed(why);
}

void Connection::RequestFlush() {
  if (flush_requested_) return;
  flush_requested_ = true;
  loop_.RequestFlush(this);
}

void Connection::OnFlush() {
  flush_requested_ = false;
  if (reopen_pending_) {
    reopen_pending_ = false;
    std::string why;
    if (!Open(&why)) listener_.OnClosed(why);
    return;
  }
  if (state_ == State::kOpen) Send();
}

void Connection::OnIo(uint32_t events) {
  if (state_ == State::kConnecting) {
    FinishConnect(events);
    return;
  }
  if (state_ != State::kOpen) return;
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0 && !Read()) return;
  if ((events & EPOLLOUT) != 0) Send();
}

void Connection::FinishConnect(uint32_t events) {
  if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
  int error = 0;
  socklen_t len = sizeof error;
  ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) {
    Fail(std::string("connect: ") + std::strerror(error));
    return;
  }
  state_ = State::kOpen;
  loop_.Modify(fd_, EPOLLIN, this);
  const uint64_t generation = generation_;
  listener_.OnConnected();
  if (generation == generation_ && !out_.empty()) Send();
}

bool Connection::Read() {
  const uint64_t generation = generation_;
  for (int i = 0; i < kReadsPerEvent; ++i) {
    const ssize_t n = ::recv(fd_, loop_.scratch(), loop_.scratch_size(), 0);
    if (n == 0) {
      Fail("closed by the server");
      return false;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return true;
      Fail(std::string("recv: ") + std::strerror(errno));
      return false;
    }
    framer_.Append({loop_.scratch(), static_cast<size_t>(n)});
    for (auto f = framer_.Next(); f.kind != protocol::LineFramer::Kind::kNone; f = framer_.Next()) {
      if (f.kind == protocol::LineFramer::Kind::kTooLong) {
        Fail("a line longer than 64 KiB");
        return false;
      }
      listener_.OnLine(f.line);
      if (generation != generation_) return false;  // closed or reopened meanwhile
    }
    listener_.OnLinesDone();
    if (generation != generation_) return false;
    // A partial line is moved to the front; a fully consumed buffer is
    // reset by the next Append() without giving its memory back.
    if (framer_.buffered() > 0) framer_.Compact();
    if (static_cast<size_t>(n) < loop_.scratch_size()) return true;
  }
  return true;
}

void Connection::Send() {
  while (out_sent_ < out_.size()) {
    const ssize_t n =
        ::send(fd_, out_.data() + out_sent_, out_.size() - out_sent_, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        WatchOutput(true);
        return;
      }
      Fail(std::string("send: ") + std::strerror(errno));
      return;
    }
    out_sent_ += static_cast<size_t>(n);
  }
  out_.clear();
  out_sent_ = 0;
  WatchOutput(false);
}

void Connection::WatchOutput(bool on) {
  if (on == watching_output_) return;
  watching_output_ = on;
  loop_.Modify(fd_, on ? (EPOLLIN | EPOLLOUT) : EPOLLIN, this);
}

}  // namespace caucus::bench
