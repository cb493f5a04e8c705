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
  std::vector<char> buf(65536);

  const auto send = [&](int fd, const sockaddr_in& to, const std::string& bytes) {
    ::sendto(fd, bytes.data(), bytes.size(), MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&to),
             sizeof to);
    ++forwarded_;
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
        send(fd, to, bytes);
      }
    }
  };

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
      for (int k = 0; k < 256; ++k) {
        sockaddr_in from{};
        socklen_t len = sizeof from;
        const ssize_t n = ::recvfrom(fds[i].fd, buf.data(), buf.size(), MSG_DONTWAIT,
                                     reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) break;
        std::string bytes(buf.data(), static_cast<size_t>(n));
        if (fds[i].fd == listen_fd_) {
          auto it = by_port.find(from.sin_port);
          if (it == by_port.end()) {
            const int up = BoundSocket(nullptr);
            it = by_port.emplace(from.sin_port, std::make_pair(up, from)).first;
            client_of[up] = from;
          }
          pass(it->second.first, target, std::move(bytes));
        } else {
          pass(listen_fd_, client_of[fds[i].fd], std::move(bytes));
        }
      }
    }
    while (!held.empty() && held.top().at <= Clock::now()) {
      send(held.top().fd, held.top().to, held.top().bytes);
      held.pop();
    }
  }
  for (const auto& [fd, client] : client_of) ::close(fd);
}

}  // namespace caucus::test
