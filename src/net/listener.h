// Listener: accepts TCP connections on one endpoint and hands each new
// socket to a callback. It takes every connection the kernel has ready in
// one turn (up to a batch, then lets other work run), and when the process
// runs out of file descriptors it pauses accepting briefly instead of
// spinning.
//
// Thread-safety: event loop thread only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <string>

namespace caucus::net {

struct Accepted {
  int fd;  // non-blocking, close-on-exec; the callback owns it
  boost::asio::ip::tcp::endpoint remote;
};

class Listener {
 public:
  using OnAccept = std::function<void(const Accepted&)>;

  // Binds and listens; throws boost::system::system_error on failure. An
  // IPv6 wildcard endpoint is dual-stack (IPv4 arrives IPv4-mapped).
  Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
           OnAccept on_accept);

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string description() const;
  void Start();
  void Stop();

 private:
  void Wait();
  void AcceptReady();
  void Pause(int error);

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  OnAccept on_accept_;
  bool stopped_ = false;
};

// Parses a listen address ("127.0.0.1", "::1", "[::]", "0.0.0.0", a host
// name is not accepted). Returns false when it is not an IP address.
bool ParseListenAddress(const std::string& text, boost::asio::ip::address* out);

}  // namespace caucus::net
