#include "client/link/connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace caucus::client {
namespace {

// The server's lines are at most its --max-line (1 MiB at most).
constexpr size_t kMaxLine = (1 << 20) + 1;
constexpr int kWriteTimeoutMs = 30000;
using Clock = std::chrono::steady_clock;

int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Connects one socket to `ai`; returns the fd, or -1 with *error set.
int ConnectOne(const addrinfo* ai, Clock::time_point deadline, int cancel_fd, std::string* error) {
  const int fd =
      ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
  if (fd < 0) {
    *error = std::strerror(errno);
    return -1;
  }
  if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return fd;
  if (errno == EINPROGRESS) {
    pollfd p[2] = {{fd, POLLOUT, 0}, {cancel_fd, POLLIN, 0}};
    int n;
    while ((n = ::poll(p, cancel_fd >= 0 ? 2 : 1, MillisLeft(deadline))) < 0 && errno == EINTR) {
    }
    if (n > 0 && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) return fd;
      *error = std::strerror(err);
    } else {
      *error = n == 0 ? "timed out" : "cancelled";
    }
  } else {
    *error = std::strerror(errno);
  }
  ::close(fd);
  return -1;
}

}  // namespace

std::unique_ptr<Connection> Connection::Open(const Endpoint& endpoint,
                                             std::chrono::milliseconds timeout, int cancel_fd,
                                             std::string* error, bool* bad_certificate) {
  *bad_certificate = false;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  const int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    *error = "cannot find " + endpoint.host + ": " + ::gai_strerror(rc);
    return nullptr;
  }
  const auto deadline = Clock::now() + timeout;
  std::string why = "no address";
  int fd = -1;
  for (const addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ConnectOne(ai, deadline, cancel_fd, &why);
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    *error = "cannot connect to " + endpoint.Key() + ": " + why;
    return nullptr;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::unique_ptr<TlsChannel> tls;
  if (endpoint.tls) {
    TlsChannel::Failure failure;
    std::string why_tls;
    tls = TlsChannel::Handshake(fd, endpoint.host, endpoint.ca_file, deadline, cancel_fd, &why_tls,
                                &failure);
    if (!tls) {
      *bad_certificate = failure == TlsChannel::Failure::kCertificate;
      *error = endpoint.Key() + ": " + why_tls;
      ::close(fd);
      return nullptr;
    }
  }
  return std::unique_ptr<Connection>(new Connection(fd, std::move(tls)));
}

Connection::Connection(int fd, std::unique_ptr<TlsChannel> tls)
    : fd_(fd), tls_(std::move(tls)), framer_(kMaxLine) {}

ssize_t Connection::Send(const char* data, size_t size) {
  return tls_ ? tls_->Send(data, size) : ::send(fd_, data, size, MSG_NOSIGNAL);
}

ssize_t Connection::Recv(char* data, size_t size) {
  return tls_ ? tls_->Recv(data, size) : ::recv(fd_, data, size, 0);
}

Connection::~Connection() {
  tls_.reset();
  ::close(fd_);
}

bool Connection::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = Send(bytes.data(), bytes.size());
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // The server reads everything it is sent; a socket full this long is dead.
      pollfd p{fd_, tls_ ? tls_->wants() : static_cast<short>(POLLOUT), 0};
      const int ready = ::poll(&p, 1, kWriteTimeoutMs);
      if (ready == 0 || (p.revents & (POLLERR | POLLHUP))) return false;
      continue;
    }
    return false;
  }
  return true;
}

bool Connection::Read() {
  char buf[16384];
  while (true) {
    const ssize_t n = Recv(buf, sizeof buf);
    if (n > 0) {
      framer_.Append(std::string_view(buf, static_cast<size_t>(n)));
      // A short read empties the socket; TLS may still hold decrypted
      // bytes that poll() cannot see, so it reads on until EAGAIN.
      if (!tls_ && static_cast<size_t>(n) < sizeof buf) return true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

std::optional<std::string> Connection::NextLine() {
  while (true) {
    const auto frame = framer_.Next();
    switch (frame.kind) {
      case protocol::LineFramer::Kind::kNone:
        framer_.Compact();
        return std::nullopt;
      case protocol::LineFramer::Kind::kTooLong:
        continue;
      case protocol::LineFramer::Kind::kLine:
        return std::string(frame.line);
    }
  }
}

}  // namespace caucus::client
