#include "net/listener.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "net/socket_options.h"

namespace caucus::net {

namespace asio = boost::asio;
using asio::ip::tcp;

bool ParseListenAddress(const std::string& text, asio::ip::address* out) {
  std::string t = text;
  if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
  boost::system::error_code ec;
  *out = asio::ip::make_address(t, ec);
  return !ec;
}

Listener::Listener(asio::io_context& io, const tcp::endpoint& endpoint, OnAccept on_accept)
    : acceptor_(io), retry_(io), on_accept_(std::move(on_accept)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  if (endpoint.address().is_v6()) {
    // The wildcard takes IPv4 too; a specific IPv6 address only itself.
    acceptor_.set_option(asio::ip::v6_only(!endpoint.address().is_unspecified()));
  }
  TuneClientSocket(acceptor_.native_handle());  // accepted sockets inherit the settings
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

std::string Listener::description() const {
  const auto ep = acceptor_.local_endpoint();
  const auto a = ep.address();
  if (a.is_v6()) return fmt::format("[{}]:{}", a.to_string(), ep.port());
  return fmt::format("{}:{}", a.to_string(), ep.port());
}

void Listener::Start() {
  acceptor_.non_blocking(true);
  AcceptReady();
}

void Listener::Stop() {
  stopped_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_.cancel();
}

void Listener::Wait() {
  acceptor_.async_wait(tcp::acceptor::wait_read, [this](const boost::system::error_code& ec) {
    if (!ec && !stopped_) AcceptReady();
  });
}

void Listener::AcceptReady() {
  // Asio watches the listening socket edge-triggered: it reports new
  // connections once, so this takes them until the kernel has no more,
  // and when it stops early it comes back without waiting.
  constexpr int kBatch = 64;
  for (int i = 0; i < kBatch; ++i) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int fd = ::accept4(acceptor_.native_handle(), reinterpret_cast<sockaddr*>(&address),
                             &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      switch (errno) {
        case EAGAIN:
#if EAGAIN != EWOULDBLOCK
        case EWOULDBLOCK:
#endif
          return Wait();
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
        case EPERM:  // a firewall rule refused this one
          continue;
        default:
          return Pause(errno);  // out of descriptors or memory
      }
    }
    Accepted accepted{fd, {}};
    std::memcpy(accepted.remote.data(), &address, std::min<size_t>(length, sizeof address));
    accepted.remote.resize(length);
    on_accept_(accepted);
    if (stopped_) return;
  }
  asio::post(acceptor_.get_executor(), [this] {
    if (!stopped_) AcceptReady();
  });
}

void Listener::Pause(int error) {
  spdlog::warn("accept on {}: {}; pausing 100 ms", description(),
               std::error_code(error, std::generic_category()).message());
  retry_.expires_after(std::chrono::milliseconds(100));
  retry_.async_wait([this](const boost::system::error_code& e) {
    if (!e && !stopped_) AcceptReady();
  });
}

}  // namespace caucus::net
