#include "http/origin.h"

#include <cctype>

namespace caucus::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view TrimSlash(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return s;
}

// "host:80" → "host" (and :443); IPv6 literals keep their brackets.
std::string StripDefaultPort(std::string authority) {
  for (std::string_view port : {":80", ":443"}) {
    if (authority.size() > port.size() &&
        authority.compare(authority.size() - port.size(), port.size(), port) == 0) {
      authority.resize(authority.size() - port.size());
      break;
    }
  }
  return authority;
}

}  // namespace

bool OriginAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowed) {
  if (origin.empty()) return true;
  const std::string o = Lower(TrimSlash(origin));
  if (!allowed.empty()) {
    for (const auto& a : allowed) {
      if (a == "*" || Lower(TrimSlash(a)) == o) return true;
    }
    return false;
  }
  const size_t scheme_end = o.find("://");
  if (scheme_end == std::string::npos || host.empty()) return false;
  const std::string scheme = o.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  const std::string authority = o.substr(scheme_end + 3);
  if (authority.find('/') != std::string::npos) return false;
  return StripDefaultPort(authority) == StripDefaultPort(Lower(host));
}

}  // namespace caucus::http
