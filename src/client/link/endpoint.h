// Endpoint: which server to talk to, from the HOST and PORT arguments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace caucus::client {

struct Endpoint {
  std::string host;  // a name, an IPv4 literal or an IPv6 literal (no brackets)
  uint16_t port = 5545;
  bool tls = false;     // --tls: TLS, verifying the server's certificate
  std::string ca_file;  // --ca: trust only this certificate (chain); else the system's roots

  // "host:port", with an IPv6 literal in brackets ("[::1]:5545") and the
  // host in lower case: the key saved sessions are kept under.
  std::string Key() const;
};

// HOST:PORT in one argument (`caucus 127.0.0.1:17004`, `caucus
// [::1]:5545`): moves the port from *host to *port. A bare IPv6 literal
// (several colons) is left alone. Returns false with *error in words when
// the port is given twice.
bool SplitHostPort(std::string* host, std::string* port, std::string* error);

// Parses HOST (a name, an IPv4 literal, or an IPv6 literal bare or in
// brackets) and PORT (1 to 65535). Returns false with *error in words.
bool ParseEndpoint(std::string_view host, std::string_view port, Endpoint* out, std::string* error);

}  // namespace caucus::client
