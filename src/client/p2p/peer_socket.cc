#include "client/p2p/peer_socket.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace caucus::client {

std::string Address::Key() const {
  if (storage.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
    return std::string("4") + std::string(reinterpret_cast<const char*>(&a->sin_port), 2) +
           std::string(reinterpret_cast<const char*>(&a->sin_addr), 4);
  }
  const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
  return std::string("6") + std::string(reinterpret_cast<const char*>(&a->sin6_port), 2) +
         std::string(reinterpret_cast<const char*>(&a->sin6_addr), 16);
}

std::string Address::Text() const {
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (storage.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
    ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
  ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
  port = ntohs(a->sin6_port);
  return fmt::format("[{}]:{}", host, port);
}

bool Resolve(const std::string& host, uint16_t port, int family, int socktype, Address* out) {
  addrinfo hints{};
  hints.ai_family = family == 0 ? AF_UNSPEC : family;
  hints.ai_socktype = socktype;
  hints.ai_flags = AI_NUMERICSERV | (family == AF_INET6 ? AI_V4MAPPED : 0);
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res) {
    return false;
  }
  std::memcpy(&out->storage, res->ai_addr, res->ai_addrlen);
  out->length = res->ai_addrlen;
  ::freeaddrinfo(res);
  return true;
}

// A socket bound to every address on `port`: IPv6 taking IPv4 too when the
// system has IPv6, else IPv4.
int BindAny(int type, uint16_t port, int* family, std::string* error) {
  int fd = ::socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
    const int off = 0, on = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    if (type == SOCK_STREAM) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_any;
    a.sin6_port = htons(port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      *family = AF_INET6;
      return fd;
    }
    ::close(fd);
  }
  fd = ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  const int on = 1;
  if (type == SOCK_STREAM) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  a.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    *error = "cannot listen on port " + std::to_string(port) + ": " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  *family = AF_INET;
  return fd;
}

uint16_t LocalPort(int fd) {
  sockaddr_storage s{};
  socklen_t len = sizeof s;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&s), &len);
  if (s.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&s)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&s)->sin6_port);
}

void UdpBatch::Flush(int fd) {
  size_t at = 0;
  while (at < items_.size()) {
    const size_t n = std::min(kPeerBatch, items_.size() - at);
    mmsghdr msgs[kPeerBatch];
    iovec iov[kPeerBatch];
    for (size_t i = 0; i < n; ++i) {
      const Item& item = items_[at + i];
      iov[i] = {const_cast<char*>(item.bytes->data()), item.bytes->size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = const_cast<sockaddr*>(item.to->get());
      msgs[i].msg_hdr.msg_namelen = item.to->length;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    const int sent = ::sendmmsg(fd, msgs, static_cast<unsigned>(n), MSG_DONTWAIT);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) {
      at += 1;  // skip the one that failed (dropped)
      continue;
    }
    at += static_cast<size_t>(sent);
  }
  items_.clear();
}

}  // namespace caucus::client
