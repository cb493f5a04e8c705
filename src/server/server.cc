#include "server/server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "bus/nats_bus.h"
#include "core/secrets.h"
#include "net/address.h"
#include "net/http_connection.h"
#include "protocol/line_builder.h"
#include "session/client_session.h"
#include "store/await.h"
#include "store/open_store.h"

namespace caucus::server {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kChangePoll = std::chrono::milliseconds(500);
constexpr auto kLagInterval = std::chrono::milliseconds(100);

// Counts one open HTTP connection of an address while it lives.
struct HttpSlot {
  HttpSlot(std::shared_ptr<std::unordered_map<std::string, int>> counts, std::string address)
      : counts(std::move(counts)), address(std::move(address)) {
    ++(*this->counts)[this->address];
  }
  ~HttpSlot() {
    auto it = counts->find(address);
    if (it != counts->end() && --it->second <= 0) counts->erase(it);
  }
  std::shared_ptr<std::unordered_map<std::string, int>> counts;
  std::string address;
};

ClientSession* AsSession(DeadlineEntry* e) { return static_cast<ClientSession*>(e); }

}  // namespace

Server::Server(ServerOptions options)
    : options_(std::move(options)),
      session_limits_{options_.commands_per_second, options_.command_burst, options_.send_queue,
                      options_.max_line, options_.idle_timeout_s},
      io_(1),
      loop_(io_),
      scheduler_(io_),
      signals_(io_),
      reload_signals_(io_, SIGHUP),
      change_timer_(io_),
      housekeeping_timer_(io_),
      idle_(io_, std::chrono::seconds(options_.idle_timeout_s),
            [](DeadlineEntry* e) { AsSession(e)->End(protocol::Bye::kIdleTimeout); }),
      handshake_(io_, std::chrono::seconds(options_.handshake_timeout_s),
                 [](DeadlineEntry* e) { AsSession(e)->End(protocol::Bye::kHandshakeTimeout); }),
      new_connections_(options_.new_connections_per_minute, 60'000),
      lag_timer_(io_) {
  limits_.max_line = options_.max_line;
  limits_.output_pause = options_.send_queue;
  if (options_.handshake_timeout_s > 0) {
    limits_.http_request_timeout_ms =
        std::min(limits_.http_request_timeout_ms, options_.handshake_timeout_s * 1000);
  }
}

Server::~Server() = default;

std::string Server::Start() {
  std::error_code fs_error;
  std::filesystem::create_directories(options_.data, fs_error);
  if (fs_error) return "--data " + options_.data + ": " + fs_error.message();
  ::chmod(options_.data.c_str(), 0700);

  const std::string origin = "caucusd-" + std::to_string(::getpid()) + "-" + core::NewShortId();
  // Completions of the store's and the key vault's threads run on the loop.
  const store::Executor on_loop = [this](std::function<void()> fn) {
    if (!loop_running_.load()) {
      fn();  // start-up: the main thread is waiting in Await
    } else if (cluster_) {
      // A node woken from a pause ends its sessions before a completion
      // that waited meanwhile hands them anything (ClusterNode::Awake).
      asio::post(io_, [this, fn = std::move(fn)] {
        if (cluster_) cluster_->Awake();
        fn();
      });
    } else {
      asio::post(io_, std::move(fn));
    }
  };
  const auto config = StoreConfigFor(options_, origin);
  auto opened = store::OpenStore(config, on_loop);
  if (!opened.ok()) {
    if (!options_.store.empty()) {
      return "--store " + store::DescribeStore(config) +
             ": cannot open the store: " + opened.status().message();
    }
    return "cannot open the store in " + options_.data + ": " + opened.status().message();
  }
  store_ = std::move(*opened);
  store_->SetCommitObserver([m = &metrics()](size_t jobs, std::chrono::microseconds commit) {
    m->commit_batch.Observe(jobs);
    m->commit_us.Observe(static_cast<uint64_t>(commit.count()));
  });
  hasher_ = std::make_unique<HasherPool>(io_, options_.hash_threads, options_.core.hash_cost);
  keys_ = std::make_unique<store::FileKeyVault>(options_.data + "/keys", on_loop);
  caucus_ =
      std::make_unique<core::Caucus>(options_.core, *store_, *hasher_, clock_, scheduler_, *keys_);
  if (auto s = caucus_->Load(); !s.ok()) return "cannot load the store: " + s.message();
  auto last = store::Await<int64_t>([&](auto done) { store_->LastChange(done); });
  caucus_->feed().Start(last.ok() ? *last : 0, origin);
  caucus_->retention().Start();
  if (auto problem = JoinCluster(); !problem.empty()) return problem;

  if (!options_.tls_cert.empty()) {
    std::string error;
    tls_ = net::TlsContext::Load(options_.tls_cert, options_.tls_key, &error);
    if (!tls_) return error;
    spdlog::info("TLS certificate: {}", tls_->summary());
  }
  if (auto problem = Listen(options_.listen, options_.port, false); !problem.empty()) {
    return problem;
  }
  if (tls_) {
    if (auto problem = Listen(options_.tls_listen, options_.tls_port, true); !problem.empty()) {
      return problem;
    }
  }
  http_ = std::make_unique<HttpService>(*this);
  if (auto problem = ListenHttp(); !problem.empty()) return problem;
  WritePortsFile();

  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    Stop();
  });
  WaitForReload();
  PollChanges();
  Housekeeping();
  MeasureLoopLag();
  return {};
}

std::string Server::JoinCluster() {
  if (options_.bus.empty()) return {};
  std::string error;
  // The bus's messages always wait for the loop, start-up included.
  bus_ = bus::NatsBus::Connect(options_.bus, io_, &error);
  if (!bus_) return error;
  std::string id = options_.node_id;
  if (id.empty()) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    id = std::string(host) + ":" + std::to_string(options_.port);
    // A free port (0) is no name: nodes on one host would share it.
    if (options_.port == 0 || !cluster::IsNodeId(id)) id = "node-" + core::NewShortId();
  }
  cluster_ = std::make_unique<cluster::ClusterNode>(*bus_, *caucus_, id,
                                                    int64_t{options_.node_ttl_s} * 1000);
  cluster_->Start();
  return {};
}

std::string Server::ListenHttp() {
  if (options_.http_port == 0) return {};
  std::vector<std::string> list = options_.http_listen;
  if (list.empty()) list = {"127.0.0.1", "::1"};
  const uint16_t port =
      options_.http_port == ServerOptions::kAnyPort ? 0 : static_cast<uint16_t>(options_.http_port);
  const char* scheme = tls_ ? "HTTPS" : "HTTP";
  for (const auto& text : list) {
    asio::ip::address address;
    if (!net::ParseListenAddress(text, &address)) {
      return "--http-listen " + text + ": not an IP address";
    }
    try {
      auto listener = std::make_unique<net::Listener>(
          io_, tcp::endpoint(address, port), [this](const net::Accepted& a) { AcceptHttp(a); });
      listener->Start();
      spdlog::info("{} (web client, /ws, /metrics) on {}", scheme, listener->description());
      if (!tls_ && !address.is_loopback() && !options_.allow_plaintext_logins) {
        spdlog::warn(
            "plain HTTP on {} carries the web client's passwords in clear off this machine: "
            "serve HTTPS (--tls-cert, --tls-key), or put a TLS proxy in front and silence this "
            "with --allow-plaintext-logins",
            listener->description());
      }
      listeners_.push_back({std::move(listener), tls_ != nullptr, true});
    } catch (const boost::system::system_error& e) {
      const std::string problem = std::string(scheme) + " on " + text + " port " +
                                  std::to_string(port) + ": " + e.code().message();
      // The default (8080 on loopback) is a convenience: a machine where
      // it is taken still gets its chat server. A port asked for is not.
      if (options_.http_explicit) return "--http-listen/--http-port: " + problem;
      spdlog::warn("{}; not serving it (set --http-port, or 0 to silence this)", problem);
    }
  }
  return {};
}

std::string Server::Listen(const std::vector<std::string>& addresses, int port, bool tls) {
  const char* flag = tls ? "--tls-listen" : "--listen";
  std::vector<std::string> list = addresses;
  if (list.empty()) list.push_back("::");
  for (const auto& text : list) {
    asio::ip::address address;
    if (!net::ParseListenAddress(text, &address)) {
      return std::string(flag) + " " + text + ": not an IP address";
    }
    try {
      auto listener =
          std::make_unique<net::Listener>(io_, tcp::endpoint(address, static_cast<uint16_t>(port)),
                                          [this, tls](const net::Accepted& a) { Accept(a, tls); });
      listener->Start();
      spdlog::info("listening on {}{}", listener->description(), tls ? " (TLS)" : "");
      if (!tls && !address.is_loopback() && !options_.allow_plaintext_logins) {
        spdlog::warn(
            "plain TCP on {} carries passwords in clear off this machine: serve TLS "
            "(--tls-cert, --tls-key) and tell users to connect with it, or silence this with "
            "--allow-plaintext-logins",
            listener->description());
      }
      ports_.push_back(listener->port());
      listeners_.push_back({std::move(listener), tls});
    } catch (const boost::system::system_error& e) {
      return std::string(flag) + " " + text + " port " + std::to_string(port) + ": " +
             e.code().message();
    }
  }
  return {};
}

void Server::WaitForReload() {
  reload_signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec || stopping_) return;
    if (options_.tls_cert.empty()) {
      spdlog::info("SIGHUP: no TLS certificate to reload");
    } else {
      std::string error;
      if (auto fresh = net::TlsContext::Load(options_.tls_cert, options_.tls_key, &error)) {
        tls_ = std::move(fresh);  // new connections use it; open ones keep theirs
        spdlog::info("SIGHUP: TLS certificate reloaded: {}", tls_->summary());
      } else {
        spdlog::error("SIGHUP: TLS certificate not reloaded, keeping the old one: {}", error);
      }
    }
    WaitForReload();
  });
}

void Server::WritePortsFile() {
  if (options_.ports_file.empty()) return;
  const std::string tmp = options_.ports_file + ".tmp";
  {
    std::ofstream out(tmp);
    // Line listeners first, in --listen order, then TLS, then HTTP.
    for (const bool http : {false, true}) {
      for (const auto& l : listeners_) {
        if (l.http != http) continue;
        const char* prefix = http ? (l.tls ? "https:" : "http:") : (l.tls ? "tls:" : "");
        out << prefix << l.listener->description() << " " << l.listener->port() << "\n";
      }
    }
  }
  std::rename(tmp.c_str(), options_.ports_file.c_str());
}

void Server::Run() {
  caucus_->world().loop_thread.Bind();
  loop_running_ = true;
  io_.run();
  loop_running_ = false;
}

void Server::Accept(const net::Accepted& accepted, bool tls) {
  if (stopping_) {
    ::close(accepted.fd);
    return;
  }
  const std::string address = net::AddressText(accepted.remote.address());
  if (const auto bye = Refusal(address)) {
    ::send(accepted.fd, bye.data(), bye.size(), MSG_NOSIGNAL);
    ::shutdown(accepted.fd, SHUT_WR);
    // The client has sent nothing yet, so the BYE is not lost to a reset.
    ::close(accepted.fd);
    return;
  }
  auto conn =
      std::make_shared<net::TcpConnection>(loop_, accepted.fd, limits_, tls ? tls_ : nullptr);
  conn->Start(NewSession(address, tls ? Via::kTls : Via::kTcp));
}

void Server::AcceptHttp(const net::Accepted& accepted) {
  tcp::socket socket(io_);
  boost::system::error_code ec;
  socket.assign(accepted.remote.protocol(), accepted.fd, ec);
  if (ec) {
    ::close(accepted.fd);
    return;
  }
  AcceptHttp(std::move(socket));
}

protocol::SharedLine Server::Refusal(const std::string& address) {
  const int limit = options_.max_connections_per_ip;
  auto count = per_address_.find(address);
  const bool over_address = limit > 0 && count != per_address_.end() && count->second >= limit;
  const bool over_all = sessions_.size() >= static_cast<size_t>(options_.max_sessions);
  const bool too_fast = !over_address && !over_all && !new_connections_.Take(address, clock_.Now());
  if (!over_address && !over_all && !too_fast) return {};
  ++metrics().connections_refused;
  const auto reason = too_fast ? protocol::Bye::kRateLimited : protocol::Bye::kTooManyConnections;
  if (!too_fast || refused_fast_.insert(address).second) {
    spdlog::warn("refused a connection from {}: {}", address,
                 too_fast   ? "too many new connections this minute"
                 : over_all ? "--max-sessions reached"
                            : "--max-connections-per-ip reached");
  }
  std::string bye;
  protocol::LineBuilder(bye)
      .Word("BYE")
      .Word(protocol::ByeName(reason))
      .Trailing(too_fast ? "too many new connections from your address" : protocol::ByeText(reason))
      .End();
  return protocol::SharedLine::Copy(bye);
}

std::shared_ptr<ClientSession> Server::NewSession(const std::string& address, Via via) {
  auto session = std::make_shared<ClientSession>(*this, NextSessionId(), address);
  session->via = via;
  return session;
}

void Server::AcceptHttp(tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec || stopping_) return;
  std::string address = net::AddressText(remote.address());
  const int limit = options_.max_connections_per_ip;
  const auto open = http_open_->find(address);
  if (limit > 0 && open != http_open_->end() && open->second >= limit) {
    ++metrics().connections_refused;
    if (refused_fast_.insert(address).second) {
      spdlog::warn("refused an HTTP connection from {}: --max-connections-per-ip reached", address);
    }
    static constexpr std::string_view kBusy =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    if (!tls_) {
      socket.non_blocking(true, ec);
      ::send(socket.native_handle(), kBusy.data(), kBusy.size(), MSG_NOSIGNAL);
      socket.shutdown(tcp::socket::shutdown_send, ec);
    }
    return;
  }
  auto slot = std::make_shared<HttpSlot>(http_open_, address);
  net::ServeHttp(loop_, std::move(socket), limits_, tls_, *http_, std::move(address),
                 std::move(slot));
}

bool Server::Ready() const {
  // Not ready while the store cannot write (a full disk, say): reads still
  // work, but new users would meet INTERNAL on their first write.
  return loop_running_.load() && !stopping_ && store_ != nullptr && !listeners_.empty() &&
         !store_->stats().last_commit_failed;
}

void Server::MeasureLoopLag() {
  lag_expected_ = std::chrono::steady_clock::now() + kLagInterval;
  lag_timer_.expires_at(lag_expected_);
  lag_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    const auto late = std::chrono::steady_clock::now() - lag_expected_;
    metrics().loop_lag_us.Observe(static_cast<uint64_t>(
        std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(late).count())));
    MeasureLoopLag();
  });
}

void Server::Post(std::function<void()> fn) { asio::post(io_, std::move(fn)); }

void Server::Opened(ClientSession* s) {
  s->slot = sessions_.size();
  sessions_.push_back(s);
  ++metrics().connections_accepted[static_cast<size_t>(s->via)];
  ++metrics().connections_open[static_cast<size_t>(s->via)];
  ++per_address_[s->state().address];
  handshake_.Touch(s);
  spdlog::debug("s{} connected from {}", s->state().id, s->state().address);
}

bool Server::IsOpen(const ClientSession* s) const {
  return s->slot < sessions_.size() && sessions_[s->slot] == s;
}

void Server::Closed(ClientSession* s) {
  if (!IsOpen(s)) return;
  ClientSession* last = sessions_.back();
  sessions_[s->slot] = last;
  last->slot = s->slot;
  sessions_.pop_back();
  --metrics().connections_open[static_cast<size_t>(s->via)];
  auto it = per_address_.find(s->state().address);
  if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
  idle_.Remove(s);
  handshake_.Remove(s);
  if (stopping_ && sessions_.empty()) FinishStop();
}

// A reply may come after its client left (a LOGIN or RESUME waits for the
// store, and with several nodes for the others): a closed session never
// goes back on a list, which would outlive it.
void Server::LoggedIn(ClientSession* s) {
  if (!IsOpen(s)) return;
  handshake_.Remove(s);
  idle_.Touch(s);
}

void Server::Active(ClientSession* s) {
  if (IsOpen(s)) idle_.Touch(s);
}

void Server::PollChanges() {
  change_timer_.expires_after(kChangePoll);
  change_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    caucus_->feed().CatchUp([this] {
      if (!stopping_) PollChanges();
    });
  });
}

void Server::Housekeeping() {
  housekeeping_timer_.expires_after(std::chrono::minutes(1));
  housekeeping_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    caucus_->Housekeeping();
    new_connections_.Purge(clock_.Now());
    refused_fast_.clear();
    Housekeeping();
  });
}

void Server::Stop() {
  if (stopping_) return;
  stopping_ = true;
  for (auto& l : listeners_) l.listener->Stop();
  boost::system::error_code ec;
  signals_.cancel(ec);
  reload_signals_.cancel(ec);
  change_timer_.cancel();
  housekeeping_timer_.cancel();
  lag_timer_.cancel();
  idle_.Stop();
  handshake_.Stop();
  std::vector<std::shared_ptr<ClientSession>> all;
  all.reserve(sessions_.size());
  for (ClientSession* s : sessions_) all.push_back(s->shared_from_this());
  spdlog::info("closing {} connections", all.size());
  for (auto& s : all) s->End(protocol::Bye::kShutdown);
  if (cluster_) cluster_->Leave();
  if (sessions_.empty()) {
    FinishStop();
    return;
  }
  // Every BYE is written and our side shut down; a client that neither
  // reads nor closes is not waited for beyond this.
  change_timer_.expires_after(std::chrono::milliseconds(1500));
  change_timer_.async_wait([this](const boost::system::error_code& e) {
    if (!e) FinishStop();
  });
}

void Server::FinishStop() {
  if (finished_) return;
  finished_ = true;
  // Clients that neither read their BYE nor closed: closed now.
  std::vector<std::shared_ptr<ClientSession>> left;
  for (ClientSession* s : sessions_) left.push_back(s->shared_from_this());
  for (auto& s : left) s->Disconnect();
  scheduler_.CancelAll();
  store_->Drain();  // every pending commit finishes before the process exits
  spdlog::info("stopped");
  io_.stop();
}

}  // namespace caucus::server
