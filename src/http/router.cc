#include "http/router.h"

namespace caucus::http {

namespace bh = boost::beast::http;

std::string_view PathOf(std::string_view target) {
  const size_t end = target.find_first_of("?#");
  return end == std::string_view::npos ? target : target.substr(0, end);
}

Route RouteFor(std::string_view path) {
  if (path == "/ws") return Route::kWebSocket;
  if (path == "/metrics") return Route::kMetrics;
  if (path == "/healthz") return Route::kHealth;
  if (path == "/readyz") return Route::kReady;
  return Route::kStatic;
}

std::string_view AllowedMethods(Route route) {
  return route == Route::kWebSocket ? "GET" : "GET, HEAD";
}

bool MethodAllowed(Route route, bh::verb method) {
  if (method == bh::verb::get) return true;
  return method == bh::verb::head && route != Route::kWebSocket;
}

}  // namespace caucus::http
