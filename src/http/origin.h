// The Origin check of WebSocket upgrades: a page on another site must not
// be able to open a session with the user's browser (cross-site WebSocket
// hijacking).
//
// Pure: no sockets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caucus::http {

// Whether a WebSocket upgrade with Origin `origin` and Host `host` may
// proceed. With an empty `allowed` list only the same origin may: the
// origin's host and port are the Host header's (default ports 80 and 443
// aside; the scheme is not compared, so a TLS-terminating proxy in front
// works). Otherwise the origin must be one of `allowed` (compared without
// regard to case and a trailing '/'); "*" allows any. A request without an
// Origin header does not come from a browser page and is allowed.
bool OriginAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed);

}  // namespace caucus::http
