// Routing: which of caucusd's few endpoints a request target names, and
// which methods each takes.
//
//   /ws        the WebSocket (GET with an upgrade)
//   /metrics   Prometheus text (GET, HEAD)
//   /healthz   the process is up (GET, HEAD)
//   /readyz    the store is open and the listeners are up (GET, HEAD)
//   anything else: a static file of the web client (GET, HEAD)
//
// Pure: no sockets.
#pragma once

#include <string_view>

#include "http/message.h"

namespace caucus::http {

enum class Route { kStatic, kWebSocket, kMetrics, kHealth, kReady };

// The path of a request target: without "?query" or "#fragment".
std::string_view PathOf(std::string_view target);

Route RouteFor(std::string_view path);

// The methods a route answers, for the Allow header.
std::string_view AllowedMethods(Route route);
bool MethodAllowed(Route route, boost::beast::http::verb method);

}  // namespace caucus::http
