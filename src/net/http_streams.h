// The byte streams HTTP and WebSocket connections run on: plain TCP or TLS,
// each with Beast's timeouts on the TCP socket.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace caucus::net {

using PlainHttpStream = boost::beast::tcp_stream;
using TlsHttpStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

}  // namespace caucus::net
