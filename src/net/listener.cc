#include "net/listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/v6_only.hpp>

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
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

std::string Listener::description() const {
  const auto ep = acceptor_.local_endpoint();
  const auto a = ep.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
}

void Listener::Start() { Accept(); }

void Listener::Stop() {
  stopped_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_.cancel();
}

void Listener::Accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (stopped_) return;
    if (!ec) {
      on_accept_(std::move(socket));
      Accept();
      return;
    }
    if (ec == asio::error::operation_aborted) return;
    // Out of descriptors (or another transient failure): wait, then go on.
    spdlog::warn("accept on {}: {}; pausing 100 ms", description(), ec.message());
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([this](const boost::system::error_code& e) {
      if (!e && !stopped_) Accept();
    });
  });
}

}  // namespace caucus::net
