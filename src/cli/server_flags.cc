#include "cli/server_flags.h"

#include <CLI/CLI.hpp>
#include <map>
#include <regex>

#include "cli/duration.h"
#include "cli/toml_config.h"
#include "cluster/event.h"
#include "http/cidr.h"
#include "protocol/names.h"

namespace caucus::cli {

using server::ServerOptions;
namespace {

// An option that takes one of the names in `choices` (any case) and sets
// `*target` to its value; a wrong name is refused with the list.
template <class T>
CLI::Option* AddChoice(CLI::App& app, const std::string& name, std::map<std::string, T> choices,
                       T* target, const std::string& help) {
  std::string names;
  for (const auto& [k, v] : choices) names += (names.empty() ? "" : ", ") + k;
  auto* opt = app.add_option_function<std::string>(
      name,
      [choices, target](const std::string& value) {
        *target = choices.at(protocol::FoldName(value));
      },
      help + " (" + names + ")");
  opt->check(CLI::Validator(
      [choices, names](std::string& value) {
        return choices.count(protocol::FoldName(value))
                   ? std::string()
                   : "expected one of " + names + ", got '" + value + "'";
      },
      "", ""));
  return opt;
}

}  // namespace

void AddServerOptions(CLI::App& app, ServerOptions* o) {
  app.config_formatter(std::make_shared<TomlConfig>());
  app.set_config("--config", "",
                 "Read options from this TOML file (keys are the long option names)");

  app.add_option("--listen", o->listen,
                 "Address to listen on (repeatable); default one dual-stack listener on [::]");
  app.add_option("--port", o->port, "TCP port for the line protocol (0 = any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--data", o->data, "Data directory (the SQLite store and poll keys live here)")
      ->capture_default_str();
  app.add_option("--store", o->store,
                 "Keep the store in PostgreSQL instead of SQLite in --data: a libpq URI, "
                 "postgresql://user@host:port/database (poll keys stay in --data)");
  app.add_option("--bus", o->bus,
                 "NATS URL (nats://host:port) of the bus between the nodes of a deployment; "
                 "none: a single node");
  app.add_option("--node-id", o->node_id,
                 "This node's name in the deployment (letters, digits, . _ : -); "
                 "default host name and port");
  app.add_option("--node-ttl", o->node_ttl_s,
                 "Seconds without a beat before the other nodes declare a node gone")
      ->check(CLI::Range(2, 3600))
      ->capture_default_str();
  app.add_option("--ports-file", o->ports_file,
                 "Once listening, write 'address port' lines here (for scripts and tests)");
  app.add_option("--max-attempts", o->core.lockout.max_attempts,
                 "Consecutive wrong passwords before a lock")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  auto* block = app.add_option_function<int>(
      "--block-duration", [o](int s) { o->core.lockout.block_ms = int64_t{s} * 1000; },
      "Seconds an account stays locked (default 10)");
  block->check(CLI::Range(1, 86400 * 365));
  AddChoice<bool>(app, "--lock-scope", {{"address", true}, {"account", false}},
                  &o->core.lockout.per_address,
                  "address: failures count per account and client address, so a stranger cannot "
                  "lock you out; account: from every address (default address)");
  app.add_option("--idle-timeout", o->idle_timeout_s,
                 "Seconds without a command (PING aside) before a session is logged out; 0 = off")
      ->check(CLI::Range(0, 86400 * 30))
      ->capture_default_str();
  app.add_option("--handshake-timeout", o->handshake_timeout_s,
                 "Seconds a connection may stay without logging in; 0 = off")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  AddChoice<core::MultiLogin>(app, "--multi-login",
                              {{"reject", core::MultiLogin::kReject},
                               {"replace", core::MultiLogin::kReplace},
                               {"allow", core::MultiLogin::kAllow}},
                              &o->core.multi_login,
                              "A second login to an online account: reject it (ALREADY_ONLINE), "
                              "replace the older session, or allow both (default reject)");
  app.add_option("--max-connections-per-ip", o->max_connections_per_ip,
                 "Connections from one address; a newer one gets BYE TOO_MANY_CONNECTIONS; 0 = "
                 "unlimited")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  app.add_option("--max-sessions", o->max_sessions, "Connections in all")
      ->check(CLI::Range(1, 10000000))
      ->capture_default_str();
  app.add_option("--new-connections-per-minute", o->new_connections_per_minute,
                 "New connections one address may open per minute; more get BYE RATE_LIMITED; "
                 "0 = unlimited")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  app.add_option("--commands-per-second", o->commands_per_second,
                 "Commands one session may send per second on average (a token bucket); more get "
                 "ERR RATE_LIMITED; 0 = unlimited")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  app.add_option("--command-burst", o->command_burst,
                 "Commands one session may send at once before --commands-per-second applies")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  app.add_option("--registrations-per-hour", o->core.registrations_per_hour,
                 "REGISTER attempts one address may make per hour; more get ERR RATE_LIMITED; 0 "
                 "= unlimited")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  app.add_option("--failed-logins-per-minute", o->core.failed_logins_per_minute,
                 "Wrong passwords one address may give per minute, across accounts (password "
                 "spraying), before its logins get ERR RATE_LIMITED; 0 = unlimited")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  AddChoice<core::Registration>(app, "--registration",
                                {{"open", core::Registration::kOpen},
                                 {"closed", core::Registration::kClosed},
                                 {"email", core::Registration::kEmail}},
                                &o->core.registration,
                                "Who may REGISTER: anyone, nobody, or e-mail addresses whose "
                                "domain matches --email-domain (default open)");
  app.add_option(
         "--email-domain", o->core.email_domain,
         "Regular expression the e-mail domain must match whole (with --registration email)")
      ->capture_default_str();
  app.add_flag("--generate-passwords", o->core.generate_passwords,
               "REGISTER takes only a name; the server makes the password and shows it once");
  app.add_option("--min-password", o->core.min_password, "Shortest password, in bytes")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--max-line", o->max_line, "Longest line, in bytes with its LF")
      ->check(CLI::Range(512, 1 << 20))
      ->capture_default_str();
  app.add_option("--max-text", o->core.max_text,
                 "Longest message, post, poll title or option label, in bytes")
      ->check(CLI::Range(1, 1 << 19))
      ->capture_default_str();
  app.add_option("--send-queue", o->send_queue,
                 "Bytes of events queued to one client before it gets BYE TOO_SLOW")
      ->check(CLI::Range(4096, 1 << 30))
      ->capture_default_str();
  AddChoice<core::HashCost>(app, "--hash-cost",
                            {{"interactive", core::HashCost::kInteractive},
                             {"moderate", core::HashCost::kModerate},
                             {"sensitive", core::HashCost::kSensitive}},
                            &o->core.hash_cost,
                            "Argon2id cost per password: interactive is 64 MiB, moderate 256 MiB, "
                            "sensitive 1 GiB (default interactive)");
  app.add_option("--hash-threads", o->hash_threads, "Password-hashing threads; 0 = one per core")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  auto* lifetime = app.add_option_function<int64_t>(
      "--token-lifetime", [o](int64_t s) { o->core.token_lifetime_s = s; },
      "Seconds a session token stays valid (default 604800, 7 days)");
  lifetime->check(CLI::Range(int64_t{60}, int64_t{86400} * 366));
  auto* retention = app.add_option_function<std::string>(
      "--history-retention",
      [o](const std::string& value) { o->core.history_retention_ms = *ParseDurationMs(value); },
      "How long the message log keeps direct messages and broadcasts, e.g. 30d or 12h (units s, "
      "m, h, d, w); older ones are deleted every minute, but never one still waiting for its "
      "recipient (default: kept for ever)");
  retention->check(CLI::Validator(
      [](std::string& value) {
        return ParseDurationMs(value) ? std::string()
                                      : "expected a number and a unit (s, m, h, d or w), like "
                                        "30d or 12h, got '" +
                                            value + "'";
      },
      "", ""));
  app.add_option("--server-name", o->core.server_name,
                 "Name shown in the HELLO greeting (one word)")
      ->check([](const std::string& s) {
        return s.empty() || s.find_first_of(" :\r\n") != std::string::npos
                   ? std::string("must be one word without ':'")
                   : std::string();
      })
      ->capture_default_str();
  app.add_option("--tls-cert", o->tls_cert,
                 "TLS certificate chain (PEM); with --tls-key, serves TLS on --tls-port. Reloaded "
                 "on SIGHUP");
  app.add_option("--tls-key", o->tls_key, "TLS private key (PEM)");
  app.add_option("--tls-listen", o->tls_listen,
                 "Address for TLS (repeatable); default one dual-stack listener on [::]");
  app.add_option("--tls-port", o->tls_port, "TCP port for TLS")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_flag("--allow-plaintext-logins", o->allow_plaintext_logins,
               "Do not warn that plain TCP on a non-loopback address carries passwords in clear");
  auto* http_port = app.add_option_function<std::string>(
      "--http-port",
      [o](const std::string& value) {
        o->http_port = value == "any" ? ServerOptions::kAnyPort : std::stoi(value);
        o->http_explicit = true;
      },
      "HTTP port for the web client, its WebSocket (/ws), /metrics and health checks (HTTPS "
      "with --tls-cert); 0 = no HTTP; 'any' = a free port, see --ports-file (default 8080)");
  http_port->check(CLI::Validator(
      [](std::string& value) {
        if (value == "any") return std::string();
        try {
          size_t used = 0;
          const int port = std::stoi(value, &used);
          if (used == value.size() && port >= 0 && port <= 65535) return std::string();
        } catch (const std::exception&) {
        }
        return "expected a port from 0 to 65535 or 'any', got '" + value + "'";
      },
      "", ""));
  app.add_option_function<std::vector<std::string>>(
      "--http-listen",
      [o](const std::vector<std::string>& list) {
        o->http_listen = list;
        o->http_explicit = true;
      },
      "Address for HTTP (repeatable); default 127.0.0.1 and ::1");
  app.add_option("--web-root", o->web_root,
                 "Serve the web client from this directory, read on every request (development); "
                 "default the files built into caucusd")
      ->check(CLI::ExistingDirectory);
  app.add_option("--http-origin", o->http_origins,
                 "Origin allowed to open the WebSocket, e.g. https://vote.example.org "
                 "(repeatable; '*' = any); default the same origin as the page");
  app.add_option("--metrics-allow", o->metrics_allow,
                 "Addresses besides loopback that may read /metrics, as CIDR, e.g. 10.0.0.0/8 "
                 "(repeatable)");
  app.add_option("--log-level", o->log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
}

std::string CheckServerOptions(const ServerOptions& o) {
  try {
    std::regex check(o.core.email_domain, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return "--email-domain: not a valid regular expression: " + o.core.email_domain;
  }
  if (auto problem = store::CheckStoreUrl(o.store); !problem.empty()) {
    return "--store " + o.store + ": " + problem;
  }
  if (!o.node_id.empty() && !cluster::IsNodeId(o.node_id)) {
    return "--node-id " + o.node_id + ": letters, digits and . _ : - only, at most 64";
  }
  if (!o.bus.empty() && o.bus.rfind("nats://", 0) != 0) {
    return "--bus " + o.bus + ": expected nats://host:port";
  }
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return "--tls-cert and --tls-key go together: give both or neither";
  }
  if (!o.tls_listen.empty() && o.tls_cert.empty()) {
    return "--tls-listen needs --tls-cert and --tls-key";
  }
  for (const auto& cidr : o.metrics_allow) {
    if (!http::Cidr::Parse(cidr)) return "--metrics-allow " + cidr + ": not an address/prefix";
  }
  return {};
}

}  // namespace caucus::cli
