#include "client/link/endpoint.h"

#include <fmt/format.h>

#include <algorithm>

#include "protocol/names.h"

namespace caucus::client {

std::string Endpoint::Key() const {
  const std::string h = protocol::FoldName(host);
  const bool v6 = h.find(':') != std::string::npos;
  return (v6 ? "[" + h + "]" : h) + ":" + std::to_string(port);
}

bool SplitHostPort(std::string* host, std::string* port, std::string* error) {
  size_t colon = std::string::npos;
  if (!host->empty() && host->front() == '[') {
    const size_t close = host->find(']');
    if (close != std::string::npos && close + 1 < host->size() && (*host)[close + 1] == ':') {
      colon = close + 1;
    }
  } else if (std::count(host->begin(), host->end(), ':') == 1) {
    colon = host->find(':');
  }
  if (colon == std::string::npos) return true;
  const std::string given = host->substr(colon + 1);
  if (!port->empty()) {
    *error = fmt::format("the port is given twice ('{}' and '{}'): write {} {} or {}", *host, *port,
                         host->substr(0, colon), *port, *host);
    return false;
  }
  *port = given;
  host->resize(colon);
  return true;
}

bool ParseEndpoint(std::string_view host, std::string_view port, Endpoint* out,
                   std::string* error) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || host.find_first_of(" []/") != std::string_view::npos) {
    *error = fmt::format("'{}' is not a host name or address", host);
    return false;
  }
  int64_t p;
  if (!protocol::ParseCount(port, &p) || p < 1 || p > 65535) {
    *error = "the port must be a number from 1 to 65535, not '" + std::string(port) + "'";
    return false;
  }
  out->host.assign(host);
  out->port = static_cast<uint16_t>(p);
  return true;
}

}  // namespace caucus::client
