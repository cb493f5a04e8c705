#include "http/responses.h"

#include <boost/beast/http/field.hpp>

namespace caucus::http {

namespace bh = boost::beast::http;

Response MakeResponse(const Request& request, Status status, std::string_view content_type,
                      std::string body) {
  Response res{status, request.version()};
  res.set(bh::field::server, "caucusd");
  res.set(bh::field::content_type, content_type);
  res.set("Content-Security-Policy", kContentSecurityPolicy);
  res.set("X-Content-Type-Options", "nosniff");
  res.set(bh::field::x_frame_options, "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
  res.keep_alive(request.keep_alive());
  const size_t size = body.size();
  if (request.method() != bh::verb::head) res.body() = std::move(body);
  res.content_length(size);
  return res;
}

Response ErrorResponse(const Request& request, Status status) {
  std::string text = std::to_string(static_cast<unsigned>(status)) + " " +
                     std::string(bh::obsolete_reason(status)) + "\n";
  auto res = MakeResponse(request, status, "text/plain; charset=utf-8", std::move(text));
  res.set(bh::field::cache_control, "no-store");
  return res;
}

Response MethodNotAllowed(const Request& request, std::string_view allow) {
  auto res = ErrorResponse(request, Status::method_not_allowed);
  res.set(bh::field::allow, allow);
  return res;
}

}  // namespace caucus::http
