// HttpConnection: one HTTP/1.1 client (Boost.Beast), plain or TLS, on the
// event loop. It reads requests one at a time (keep-alive), asks the
// HttpHandler what to answer, and writes the response; a WebSocket upgrade
// hands the connection over to a WsConnection.
//
// Bad input gets its status and the connection closed, with a log line:
// headers over kHeaderLimit bytes 431, a body over kBodyLimit 413, a
// request not complete within ConnectionLimits::http_request_timeout_ms
// 408, a malformed one 400. A connection idle between requests is closed
// after the same time.
//
// Thread-safety: event loop thread only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "net/http_handler.h"
#include "net/loop.h"
#include "net/tcp_connection.h"
#include "net/tls_context.h"

namespace caucus::net {

inline constexpr size_t kHeaderLimit = 16 * 1024;
inline constexpr size_t kBodyLimit = 16 * 1024;

// Serves `socket` (over TLS with `tls`). `hold` is kept while the
// connection serves HTTP (the caller counts connections with it); one that
// becomes a WebSocket lets it go and counts as a session. `handler` and `limits` outlive the
// connection.
void ServeHttp(Loop& loop, boost::asio::ip::tcp::socket socket, const ConnectionLimits& limits,
               std::shared_ptr<TlsContext> tls, HttpHandler& handler, std::string address,
               std::shared_ptr<void> hold);

}  // namespace caucus::net
