// Server: caucusd's wiring. One event loop thread owns every session and
// the domain; the store and the password hasher have threads of their own
// and post their results back.
//
// Thread-safety: Run() on one thread; everything else happens on it.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bus/bus.h"
#include "cluster/cluster_node.h"
#include "core/caucus.h"
#include "core/rate_limit.h"
#include "net/listener.h"
#include "net/loop.h"
#include "net/tcp_connection.h"
#include "net/tls_context.h"
#include "server/hasher_pool.h"
#include "server/http_service.h"
#include "server/loop_scheduler.h"
#include "server/options.h"
#include "session/deadline_list.h"
#include "session/session_host.h"
#include "store/file_key_vault.h"
#include "store/store.h"

namespace caucus::server {

using session::ClientSession;
using session::DeadlineEntry;
using session::DeadlineList;
using session::ServerMetrics;
using session::SessionHost;
using session::SessionLimits;
using session::Via;

class Server final : public SessionHost {
 public:
  explicit Server(ServerOptions options);
  ~Server();

  // Opens the store, loads the domain, binds the listeners. Returns an
  // empty string on success, else a one-line reason.
  std::string Start();
  // Runs the event loop until SIGTERM/SIGINT (or Stop()) and the shutdown
  // has finished.
  void Run();
  // Begins the shutdown: stop accepting, BYE SHUTDOWN to all, drain.
  void Stop();

  const ServerOptions& options() const { return options_; }
  const SessionLimits& limits() const override { return session_limits_; }
  core::Caucus& caucus() override { return *caucus_; }
  void Post(std::function<void()> fn) override;
  net::Loop& loop() { return loop_; }
  const std::vector<uint16_t>& ports() const { return ports_; }

  // SessionHost: session bookkeeping.
  void Opened(ClientSession* s) override;
  void Closed(ClientSession* s) override;
  void LoggedIn(ClientSession* s) override;
  void Active(ClientSession* s) override;
  uint64_t NextSessionId() { return ++last_session_id_; }

  // For HTTP and the WebSocket.
  bool stopping() const { return stopping_; }
  // The store is open and the listeners are up.
  bool Ready() const;
  // The BYE line that refuses a new connection from `address` (a limit is
  // reached; logged), or an empty line when it may connect.
  protocol::SharedLine Refusal(const std::string& address);
  // A session for a new connection from `address`.
  std::shared_ptr<ClientSession> NewSession(const std::string& address, Via via);
  // The /metrics page.
  std::string MetricsText();

 private:
  // Opened and not yet Closed.
  bool IsOpen(const ClientSession* s) const;
  // Binds listeners on `addresses` (default [::]); an empty string or why not.
  std::string Listen(const std::vector<std::string>& addresses, int port, bool tls);
  void Accept(const net::Accepted& accepted, bool tls);
  void AcceptHttp(const net::Accepted& accepted);
  // Binds the HTTP listeners (--http-listen, --http-port); an empty string or why not.
  std::string ListenHttp();
  // With --bus: connects to it and joins the deployment; an error or empty.
  std::string JoinCluster();
  void AcceptHttp(boost::asio::ip::tcp::socket socket);
  void MeasureLoopLag();
  void WaitForReload();
  void PollChanges();
  void Housekeeping();
  void FinishStop();
  void WritePortsFile();

  ServerOptions options_;
  SessionLimits session_limits_;
  boost::asio::io_context io_;
  net::Loop loop_;
  net::ConnectionLimits limits_;
  std::atomic<bool> loop_running_{false};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<HasherPool> hasher_;
  std::unique_ptr<store::FileKeyVault> keys_;
  core::SystemClock clock_;
  LoopScheduler scheduler_;
  std::unique_ptr<core::Caucus> caucus_;
  // Several nodes: the bus, and this node on it (destroyed before the domain).
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<cluster::ClusterNode> cluster_;
  struct Listening {
    std::unique_ptr<net::Listener> listener;
    bool tls;
    bool http = false;
  };
  std::vector<Listening> listeners_;
  std::shared_ptr<net::TlsContext> tls_;  // the current certificate; null without TLS
  std::vector<uint16_t> ports_;
  boost::asio::signal_set signals_;
  boost::asio::signal_set reload_signals_;  // SIGHUP: reload the TLS certificate
  boost::asio::steady_timer change_timer_;
  boost::asio::steady_timer housekeeping_timer_;
  DeadlineList idle_;
  DeadlineList handshake_;
  std::vector<ClientSession*> sessions_;  // each knows its slot: O(1) removal
  std::unordered_map<std::string, int> per_address_;
  core::WindowCounter new_connections_;           // per address, per minute
  std::unordered_set<std::string> refused_fast_;  // logged this minute
  std::unique_ptr<HttpService> http_;
  // Open HTTP connections (and the WebSockets they became) per address;
  // shared with the connections, which may outlive a stopped server's loop.
  std::shared_ptr<std::unordered_map<std::string, int>> http_open_ =
      std::make_shared<std::unordered_map<std::string, int>>();
  boost::asio::steady_timer lag_timer_;
  int64_t start_time_s_ = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  std::chrono::steady_clock::time_point lag_expected_;
  uint64_t last_session_id_ = 0;
  bool stopping_ = false;
  bool finished_ = false;
};

}  // namespace caucus::server
