// HttpService: what caucusd answers over HTTP (net::HttpHandler): the web
// client's files, the WebSocket that carries the line protocol to a
// ClientSession, /metrics (loopback and --metrics-allow only), /healthz
// and /readyz.
//
// Thread-safety: event loop thread only.
#pragma once

#include <string>
#include <vector>

#include "http/cidr.h"
#include "http/static_files.h"
#include "net/http_handler.h"

namespace caucus::server {

class Server;

class HttpService final : public net::HttpHandler {
 public:
  explicit HttpService(Server& server);

  http::Response Respond(const net::HttpPeer& peer, const http::Request& request) override;
  Upgrade OnUpgrade(const net::HttpPeer& peer, const http::Request& request) override;

 private:
  bool MetricsAllowed(const std::string& address) const;

  Server& server_;
  http::StaticFiles files_;
  std::vector<http::Cidr> metrics_allow_;
};

}  // namespace caucus::server
