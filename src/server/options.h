// ServerOptions: every setting of caucusd. src/cli/server_flags.h declares
// them on the command line and in the TOML config file (--config FILE);
// docs/operations.md explains each.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "store/open_store.h"

namespace caucus::server {

struct ServerOptions {
  std::vector<std::string> listen;  // empty: one dual-stack listener on [::]
  int port = 5545;
  std::string data = "./caucus-data";
  std::string store;       // --store: a PostgreSQL URI; empty = SQLite in `data`
  std::string ports_file;  // written once listening: one "address port" per line
  // Several nodes (docs/operations.md, "Running several nodes").
  std::string bus;      // NATS URL; empty: a single node
  std::string node_id;  // empty: host name and port
  int node_ttl_s = 10;
  int idle_timeout_s = 600;              // 0 = off
  int handshake_timeout_s = 30;          // connections that never log in; 0 = off
  int max_connections_per_ip = 32;       // 0 = unlimited
  int max_sessions = 100000;             // connections in all
  int new_connections_per_minute = 600;  // per address; 0 = unlimited
  double commands_per_second = 100;      // per session, on average; 0 = unlimited
  double command_burst = 1000;           // per session, at once
  size_t max_line = 8192;
  size_t send_queue = 1 << 20;  // bytes of events queued to one client before TOO_SLOW
  int hash_threads = 0;         // 0 = one per core, at least 1
  std::string log_level = "info";
  // TLS: listeners on their own port, with a certificate reloaded on SIGHUP.
  std::string tls_cert;
  std::string tls_key;
  std::vector<std::string> tls_listen;  // empty: [::] when a certificate is given
  int tls_port = 5546;
  bool allow_plaintext_logins = false;  // silences the warning about plain TCP off loopback
  // HTTP: the web client, its WebSocket (/ws), /metrics, /healthz and
  // /readyz; HTTPS with the TLS certificate when there is one.
  std::vector<std::string> http_listen;  // empty: 127.0.0.1 and ::1
  int http_port = 8080;                  // 0 = no HTTP; kAnyPort = a free port
  bool http_explicit = false;  // --http-port or --http-listen given: failing to bind is fatal
  std::string web_root;        // empty: the files embedded at build time
  std::vector<std::string> http_origins;   // empty: same origin as the Host header
  std::vector<std::string> metrics_allow;  // CIDRs besides loopback that may read /metrics
  static constexpr int kAnyPort = -1;
  core::Config core;
};

// Path of the SQLite database inside the data directory.
std::string DatabasePath(const std::string& data_dir);

// Where the options say the store is (--store, else --data), for
// store::OpenStore; `origin` names the process in the change feed.
store::StoreConfig StoreConfigFor(const ServerOptions& options, std::string origin);

}  // namespace caucus::server
