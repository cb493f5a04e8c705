// Socket settings every client connection gets.
#pragma once

#include <boost/asio/ip/tcp.hpp>

namespace caucus::net {

// Non-blocking, no Nagle delay, and TCP keepalive tuned to find peers that
// vanished without a word within about two minutes.
// The socket must already be non-blocking.
void TuneClientSocket(int fd);
void TuneClientSocket(boost::asio::ip::tcp::socket& socket);

}  // namespace caucus::net
