#include "udp_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <queue>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace caucus::test {
namespace {

using Clock = std::chrono::steady_clock;

int BoundSocket(uint16_t* port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("relay socket");
  const int buffer = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    throw std::runtime_error("relay bind");
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  if (port) *port = ntohs(a.sin_port);
  return fd;
}

}  // namespace

UdpRelay::UdpRelay(uint16_t target_port, Impairment impairment)
    : target_port_(target_port), impairment_(impairment) {
  listen_fd_ = BoundSocket(&port_);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this] { Run(); });
}

UdpRelay::~UdpRelay() {
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(stop_fd_, &one, sizeof one);
  thread_.join();
  ::close(listen_fd_);
  ::close(stop_fd_);
}

void UdpRelay::Run() {
  struct Held {
    Clock::time_point at;
    uint64_t order;
    int fd;
    sockaddr_in to;
    std::string bytes;
    bool operator<(const Held& o) const { return at != o.at ? at > o.at : order > o.order; }
  };
  std::mt19937_64 rng(impairment_.seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::priority_queue<Held> held;
  uint64_t order = 0;
  std::map<uint32_t, std::pair<int, sockaddr_in>> by_port;  // client port -> upstream socket
  std::map<int, sockaddr_in> client_of;                     // upstream socket -> client
  sockaddr_in target{};
  target.sin_family = AF_INET;
  target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  target.sin_port = htons(target_port_);

  // Datagrams to send, flushed with one sendmmsg per socket and turn.
  struct Out {
    int fd;
    sockaddr_in to;
    std::string bytes;
  };
  std::vector<Out> out;
  const auto flush = [&] {
    size_t at = 0;
    while (at < out.size()) {
      size_t n = 0;
      mmsghdr msgs[64];
      iovec iov[64];
      while (n < 64 && at + n < out.size() && out[at + n].fd == out[at].fd) {
        Out& o = out[at + n];
        iov[n] = {o.bytes.data(), o.bytes.size()};
        msgs[n] = {};
        msgs[n].msg_hdr.msg_name = &o.to;
        msgs[n].msg_hdr.msg_namelen = sizeof o.to;
        msgs[n].msg_hdr.msg_iov = &iov[n];
        msgs[n].msg_hdr.msg_iovlen = 1;
        ++n;
      }
      const int sent = ::sendmmsg(out[at].fd, msgs, static_cast<unsigned>(n), MSG_DONTWAIT);
      forwarded_ += sent > 0 ? static_cast<uint64_t>(sent) : 0;
      at += sent > 0 ? static_cast<size_t>(sent) : 1;  // a refused one is dropped
    }
    out.clear();
  };
  const auto pass = [&](int fd, const sockaddr_in& to, std::string bytes) {
    if (u(rng) < impairment_.loss) {
      ++dropped_;
      return;
    }
    const int copies = u(rng) < impairment_.duplicate ? 2 : 1;
    if (copies == 2) ++duplicated_;
    for (int i = 0; i < copies; ++i) {
      if (u(rng) < impairment_.reorder) {
        ++delayed_;
        const auto delay = std::chrono::microseconds(
            static_cast<int64_t>(u(rng) * static_cast<double>(impairment_.max_delay.count())));
        held.push({Clock::now() + delay, order++, fd, to, bytes});
      } else {
        out.push_back({fd, to, bytes});
      }
    }
  };

  constexpr size_t kBatch = 64;
  std::vector<std::vector<char>> bufs(kBatch, std::vector<char>(65536));
  while (true) {
    std::vector<pollfd> fds = {{stop_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    for (const auto& [fd, client] : client_of) fds.push_back({fd, POLLIN, 0});
    int timeout = -1;
    if (!held.empty()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(held.top().at - Clock::now());
      timeout = left.count() < 0 ? 0 : static_cast<int>(left.count()) + 1;
    }
    ::poll(fds.data(), fds.size(), timeout);
    if (fds[0].revents & POLLIN) break;
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      for (int round = 0; round < 8; ++round) {
        mmsghdr msgs[kBatch];
        iovec iov[kBatch];
        sockaddr_in from[kBatch];
        for (size_t k = 0; k < kBatch; ++k) {
          iov[k] = {bufs[k].data(), bufs[k].size()};
          msgs[k] = {};
          msgs[k].msg_hdr.msg_name = &from[k];
          msgs[k].msg_hdr.msg_namelen = sizeof from[k];
          msgs[k].msg_hdr.msg_iov = &iov[k];
          msgs[k].msg_hdr.msg_iovlen = 1;
        }
        const int n = ::recvmmsg(fds[i].fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
        if (n <= 0) break;
        for (int k = 0; k < n; ++k) {
          std::string bytes(bufs[k].data(), msgs[k].msg_len);
          if (fds[i].fd == listen_fd_) {
            auto it = by_port.find(from[k].sin_port);
            if (it == by_port.end()) {
              const int up = BoundSocket(nullptr);
              it = by_port.emplace(from[k].sin_port, std::make_pair(up, from[k])).first;
              client_of[up] = from[k];
            }
            pass(it->second.first, target, std::move(bytes));
          } else {
            pass(listen_fd_, client_of[fds[i].fd], std::move(bytes));
          }
        }
        flush();
        if (static_cast<size_t>(n) < kBatch) break;
      }
    }
    while (!held.empty() && held.top().at <= Clock::now()) {
      out.push_back({held.top().fd, held.top().to, held.top().bytes});
      held.pop();
    }
    flush();
  }
  for (const auto& [fd, client] : client_of) ::close(fd);
}

}  // namespace caucus::test
