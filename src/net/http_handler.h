// HttpHandler: the seam between the HTTP connections (net/) and what
// caucusd answers (server/http_service). The connection parses requests,
// enforces the limits on headers and time, and writes responses; the
// handler decides what each request gets.
//
// Thread-safety: event loop thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http/message.h"
#include "net/transport.h"
#include "protocol/shared_line.h"

namespace caucus::net {

// Who sent a request.
struct HttpPeer {
  std::string address;  // as net::AddressText shows it
  bool tls = false;     // the connection is HTTPS
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;

  // Any request but a WebSocket upgrade.
  virtual http::Response Respond(const HttpPeer& peer, const http::Request& request) = 0;

  // What to do with a WebSocket upgrade request (any path).
  struct Upgrade {
    // Write this response and close (a wrong path, origin or method).
    std::optional<http::Response> refuse;
    // Else, complete the upgrade and hand the connection to `sink`, or,
    // without a sink, send `bye` as the only frame and close (a limit was
    // reached: the client learns why as it would over TCP).
    std::shared_ptr<LineSink> sink;
    protocol::SharedLine bye;
  };
  virtual Upgrade OnUpgrade(const HttpPeer& peer, const http::Request& request) = 0;
};

}  // namespace caucus::net
