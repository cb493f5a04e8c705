// Server::MetricsText: the /metrics page, in Prometheus text format, from
// ServerMetrics and what the loop and the store count themselves.
#include <chrono>

#include "http/prometheus.h"
#include "server/server.h"
#include "session/client_session.h"

namespace caucus::server {
namespace {

using session::BasicHistogram;
using session::kViaNames;

template <class Count>
void AddHistogram(http::PrometheusText& p, std::string_view name, std::string_view help,
                  const BasicHistogram<Count>& h, double scale) {
  std::vector<double> bounds;
  std::vector<uint64_t> counts;
  for (size_t i = 0; i < h.buckets(); ++i) {
    bounds.push_back(static_cast<double>(h.bound(i)) * scale);
    counts.push_back(h.count(i));
  }
  counts.push_back(h.count(h.buckets()));
  p.Histogram(name, help, bounds, counts, static_cast<double>(h.sum()) * scale);
}

double D(uint64_t v) { return static_cast<double>(v); }

// A counter of one sample.
void AddCounter(http::PrometheusText& p, std::string_view name, std::string_view help,
                uint64_t value) {
  p.Counter(name, help);
  p.Sample(name, D(value));
}

}  // namespace

std::string Server::MetricsText() {
  const ServerMetrics& m = metrics();
  http::PrometheusText p;

  p.Counter("caucus_connections_accepted_total",
            "Client connections that got a session, by transport (ws/wss: WebSocket).");
  for (size_t i = 0; i < kViaNames.size(); ++i) {
    p.Sample("caucus_connections_accepted_total", {{"transport", kViaNames[i]}},
             D(m.connections_accepted[i]));
  }
  p.Gauge("caucus_connections_open", "Client connections open now, by transport.");
  for (size_t i = 0; i < kViaNames.size(); ++i) {
    p.Sample("caucus_connections_open", {{"transport", kViaNames[i]}},
             static_cast<double>(m.connections_open[i]));
  }
  AddCounter(p, "caucus_connections_refused_total",
             "Connections refused by --max-connections-per-ip, --max-sessions or "
             "--new-connections-per-minute.",
             m.connections_refused);

  size_t logged_in = 0;
  for (ClientSession* s : sessions_) logged_in += s->state().logged_in() ? 1 : 0;
  p.Gauge("caucus_sessions", "Sessions now, logged in or not yet.");
  p.Sample("caucus_sessions", {{"state", "logged_in"}}, D(logged_in));
  p.Sample("caucus_sessions", {{"state", "anonymous"}}, D(sessions_.size() - logged_in));

  p.Counter("caucus_logins_total",
            "LOGIN attempts by outcome: ok, failed (wrong password or no such user), locked.");
  p.Sample("caucus_logins_total", {{"outcome", "ok"}}, D(m.logins_ok));
  p.Sample("caucus_logins_total", {{"outcome", "failed"}}, D(m.logins_failed));
  p.Sample("caucus_logins_total", {{"outcome", "locked"}}, D(m.logins_locked));

  p.Counter("caucus_messages_total",
            "Direct messages accepted: delivered live, or stored for an offline recipient.");
  p.Sample("caucus_messages_total", {{"outcome", "delivered"}}, D(m.messages_delivered));
  p.Sample("caucus_messages_total", {{"outcome", "stored"}}, D(m.messages_stored));
  AddCounter(p, "caucus_broadcasts_total", "Broadcasts sent.", m.broadcasts);
  AddCounter(p, "caucus_broadcast_deliveries_total", "Recipients reached by broadcasts.",
             m.broadcast_deliveries);
  AddCounter(p, "caucus_votes_acknowledged_total", "Ballots committed and answered OK VOTE.",
             m.votes_acknowledged);
  AddCounter(p, "caucus_too_slow_total", "Sessions ended with BYE TOO_SLOW (output queue full).",
             m.too_slow);

  AddCounter(p, "caucus_http_requests_total",
             "HTTP requests answered (WebSocket upgrades included).", m.http_requests);
  size_t http_open = 0;
  for (const auto& [address, count] : *http_open_) http_open += static_cast<size_t>(count);
  p.Gauge("caucus_http_connections_open",
          "HTTP connections open now (not counting those that became WebSockets).");
  p.Sample("caucus_http_connections_open", D(http_open));
  AddCounter(p, "caucus_websocket_refused_total",
             "WebSocket upgrades refused for their origin, path or method.", m.websocket_refused);

  const auto store = store_->stats();
  AddCounter(p, "caucus_store_failed_commits_total",
             "Store write transactions that did not commit (a full disk, say); every write in "
             "them was answered INTERNAL.",
             store.failed_commits);
  p.Gauge(
      "caucus_store_writable",
      "1 while the latest store write transaction committed, 0 after one failed (see /readyz).");
  p.Sample("caucus_store_writable", store.last_commit_failed ? 0.0 : 1.0);
  AddHistogram(p, "caucus_store_commit_batch_size", "Store writes grouped into one commit.",
               m.commit_batch, 1.0);
  AddHistogram(p, "caucus_store_commit_seconds", "Time of one store commit (its fsync).",
               m.commit_us, 1e-6);
  AddHistogram(p, "caucus_event_loop_lag_seconds",
               "How late the event loop ran a timer due every 100 ms.", m.loop_lag_us, 1e-6);

  const auto& io = loop_.stats();
  AddCounter(p, "caucus_network_writes_total", "Write system calls to clients (TCP and TLS).",
             io.sends);
  AddCounter(p, "caucus_network_sent_bytes_total", "Bytes written to clients.", io.bytes_sent);
  AddCounter(p, "caucus_network_received_bytes_total", "Bytes read from line-protocol clients.",
             io.bytes_read);

  if (bus_) {
    const auto bus = bus_->stats();
    AddCounter(p, "caucus_bus_messages_sent_total",
               "Messages published to the bus's broker (each carries one or more events).",
               bus.messages_sent);
    AddCounter(p, "caucus_bus_events_sent_total", "Events told to the other nodes over the bus.",
               bus.payloads_sent);
    AddCounter(p, "caucus_bus_messages_received_total", "Messages received from the bus's broker.",
               bus.messages_received);
    AddCounter(p, "caucus_bus_events_received_total", "Events received over the bus.",
               bus.payloads_received);
    AddCounter(p, "caucus_bus_hand_overs_total",
               "Times the loop took the bus's waiting messages (one turn each).", bus.hand_overs);
  }

  p.Gauge("caucus_start_time_seconds", "When this caucusd started, in seconds since the epoch.");
  p.Sample("caucus_start_time_seconds", static_cast<double>(start_time_s_));
  return p.text();
}

}  // namespace caucus::server
