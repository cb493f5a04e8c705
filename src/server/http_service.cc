#include "server/http_service.h"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>

#include "http/origin.h"
#include "http/responses.h"
#include "http/router.h"
#include "server/server.h"
#include "session/client_session.h"

namespace caucus::server {

namespace bh = boost::beast::http;
using http::Route;
using http::Status;

namespace {

std::string_view View(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

HttpService::HttpService(Server& server)
    : server_(server),
      files_(server.options().web_root.empty()
                 ? http::StaticFiles::Embedded()
                 : http::StaticFiles::FromDirectory(server.options().web_root)) {
  for (const auto& text : server.options().metrics_allow) {
    if (auto cidr = http::Cidr::Parse(text)) metrics_allow_.push_back(*cidr);
  }
}

bool HttpService::MetricsAllowed(const std::string& address) const {
  if (http::IsLoopback(address)) return true;
  for (const auto& c : metrics_allow_) {
    if (c.Contains(address)) return true;
  }
  return false;
}

http::Response HttpService::Respond(const net::HttpPeer& peer, const http::Request& request) {
  ++server_.metrics().http_requests;
  const auto path = http::PathOf(View(request.target()));
  const Route route = http::RouteFor(path);
  if (!http::MethodAllowed(route, request.method())) {
    return http::MethodNotAllowed(request, http::AllowedMethods(route));
  }
  switch (route) {
    case Route::kWebSocket: {
      auto res = http::ErrorResponse(request, Status::upgrade_required);
      res.set(bh::field::upgrade, "websocket");
      return res;
    }
    case Route::kMetrics:
      if (!MetricsAllowed(peer.address)) {
        spdlog::warn("/metrics refused to {} (see --metrics-allow)", peer.address);
        return http::ErrorResponse(request, Status::forbidden);
      }
      return http::MakeResponse(request, Status::ok, "text/plain; version=0.0.4; charset=utf-8",
                                server_.MetricsText());
    case Route::kHealth:
      return http::MakeResponse(request, Status::ok, "text/plain; charset=utf-8", "ok\n");
    case Route::kReady: {
      const bool ready = server_.Ready();
      auto res = http::MakeResponse(request, ready ? Status::ok : Status::service_unavailable,
                                    "text/plain; charset=utf-8", ready ? "ready\n" : "not ready\n");
      res.set(bh::field::cache_control, "no-store");
      return res;
    }
    case Route::kStatic:
      break;
  }
  return files_.Serve(request, path);
}

net::HttpHandler::Upgrade HttpService::OnUpgrade(const net::HttpPeer& peer,
                                                 const http::Request& request) {
  ++server_.metrics().http_requests;
  Upgrade answer;
  const auto path = http::PathOf(View(request.target()));
  const Route route = http::RouteFor(path);
  if (route != Route::kWebSocket) {
    answer.refuse = http::ErrorResponse(request, Status::not_found);
    return answer;
  }
  if (!http::MethodAllowed(route, request.method())) {
    answer.refuse = http::MethodNotAllowed(request, http::AllowedMethods(route));
    return answer;
  }
  const auto origin = View(request[bh::field::origin]);
  if (!http::OriginAllowed(origin, View(request[bh::field::host]),
                           server_.options().http_origins)) {
    ++server_.metrics().websocket_refused;
    spdlog::warn("WebSocket from {} refused: origin '{}' is not allowed (see --http-origin)",
                 peer.address, origin);
    answer.refuse = http::ErrorResponse(request, Status::forbidden);
    return answer;
  }
  if (server_.stopping()) {
    answer.refuse = http::ErrorResponse(request, Status::service_unavailable);
    return answer;
  }
  answer.bye = server_.Refusal(peer.address);
  if (!answer.bye) {
    answer.sink = server_.NewSession(peer.address, peer.tls ? Via::kWss : Via::kWs);
  }
  return answer;
}

}  // namespace caucus::server
