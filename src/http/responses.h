// Building responses: every response caucusd writes carries the same
// security headers (a Content-Security-Policy that allows no inline script
// and no framing, nosniff, no referrer) and a Server header.
//
// Pure: no sockets.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace caucus::http {

// The Content-Security-Policy of every response.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Strict-Transport-Security, on every response sent over HTTPS (a year).
inline constexpr std::string_view kStrictTransportSecurityHeader = "Strict-Transport-Security";
inline constexpr std::string_view kStrictTransportSecurity = "max-age=31536000";

// A response to `request` (same HTTP version and keep-alive) with `body` of
// `content_type`. For a HEAD request the body is dropped and Content-Length
// still says its size.
Response MakeResponse(const Request& request, Status status, std::string_view content_type,
                      std::string body);

// A short text/plain response for an error status ("404 Not Found").
Response ErrorResponse(const Request& request, Status status);

// 405 with the Allow header.
Response MethodNotAllowed(const Request& request, std::string_view allow);

}  // namespace caucus::http
