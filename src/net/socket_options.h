// Socket settings every client connection gets.
#pragma once

#include <boost/asio/ip/tcp.hpp>

namespace caucus::net {

// No Nagle delay, and TCP keepalive tuned to find peers that vanished
// without a word within about two minutes. Set on a listening socket, the
// connections it accepts inherit them (Linux), which saves five system
// calls per connection; socket_options_test.cc checks that they do.
void TuneClientSocket(int fd);
// The same, and non-blocking.
void TuneClientSocket(boost::asio::ip::tcp::socket& socket);

}  // namespace caucus::net
