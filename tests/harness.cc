#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace caucus::test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "caucus-test-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

ServerProcess::ServerProcess(std::vector<std::string> options, std::string data, bool ipv6)
    : options_(std::move(options)), ipv6_(ipv6) {
  if (data.empty()) {
    own_data_.emplace();
    data_ = own_data_->path();
  } else {
    data_ = std::move(data);
  }
  Start();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

// Nodes of one deployment share a data directory: each keeps its ports file
// and log under its --node-id.
std::string ServerProcess::FileName(const std::string& base) const {
  for (size_t i = 0; i + 1 < options_.size(); ++i) {
    if (options_[i] == "--node-id") return data_ + "/" + base + "-" + options_[i + 1];
  }
  return data_ + "/" + base;
}

void ServerProcess::Start() {
  const std::string ports = FileName("ports");
  fs::remove(ports);
  std::vector<std::string> args = {CAUCUSD_PATH, "--listen", "127.0.0.1"};
  if (ipv6_) {
    args.push_back("--listen");
    args.push_back("::1");
  }
  // A node restarted on its own port (as behind a load balancer) names it.
  bool port_set = false;
  for (const auto& o : options_) port_set = port_set || o == "--port";
  if (!port_set) {
    args.push_back("--port");
    args.push_back("0");
  }
  args.push_back("--data");
  args.push_back(data_);
  args.push_back("--ports-file");
  args.push_back(ports);
  args.insert(args.end(), options_.begin(), options_.end());
  bool http_set = false;
  for (const auto& o : options_) http_set = http_set || o == "--http-port" || o == "--http-listen";
  if (!http_set) {
    for (const char* a : {"--http-listen", "127.0.0.1", "--http-port", "any"}) args.push_back(a);
  }
  const std::string log = FileName("server.log");
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    // Nothing else of the test: a client socket held open here would never
    // be seen closed by the server it connects to.
    for (int other = 3; other < 1024; ++other) ::close(other);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("caucusd exited at start: " + Log());
    }
    // The server writes the file whole (write, then rename): one line per
    // listener, "<address>:<port> <port>", in --listen order.
    std::ifstream in(ports);
    std::string address;
    int port = 0;
    std::vector<int> found;
    // HTTP listeners come last, as "http:<address>:<port> <port>"; TLS
    // listeners are "tls:<address>:<port> <port>".
    int http = 0;
    int tls_port = 0;
    while (in >> address >> port) {
      if (address.rfind("http:", 0) == 0 || address.rfind("https:", 0) == 0) {
        if (http == 0) http = port;
      } else if (address.rfind("tls:", 0) == 0) {
        if (tls_port == 0) tls_port = port;
      } else {
        found.push_back(port);
      }
    }
    if (found.size() >= (ipv6_ ? 2u : 1u) && found[0] > 0) {
      port_ = static_cast<uint16_t>(found[0]);
      tls_port_ = static_cast<uint16_t>(tls_port);
      port6_ = ipv6_ ? static_cast<uint16_t>(found[1]) : 0;
      http_port_ = static_cast<uint16_t>(http);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("caucusd did not start: " + Log());
}

std::string ServerProcess::Log() const {
  std::ifstream in(FileName("server.log"));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int ServerProcess::Stop(int signal, std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  const auto deadline = Clock::now() + timeout;
  while (::waitpid(pid_, &status, signal == SIGKILL ? 0 : WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::Kill9() { Stop(SIGKILL); }

long ServerProcess::StatusKb(const std::string& field) const {
  if (pid_ <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

int ServerProcess::Cli(const std::vector<std::string>& args, const std::string& stdin_text,
                       std::string* output, std::string* errors) const {
  std::string cmd = std::string(CAUCUSD_PATH);
  for (const auto& a : args) cmd += " '" + a + "'";
  TempDir tmp;
  const std::string err_path = tmp.path() + "/stderr";
  cmd += " --data '" + data_ + "'";
  // A server on PostgreSQL: its subcommands on the same database.
  for (size_t i = 0; i + 1 < options_.size(); ++i) {
    if (options_[i] == "--store") cmd += " --store '" + options_[i + 1] + "'";
  }
  cmd += errors ? " 2>'" + err_path + "'" : std::string(" 2>&1");
  const std::string in_path = tmp.path() + "/stdin";
  std::ofstream(in_path) << stdin_text;
  cmd += " < '" + in_path + "'";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = ::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  if (output) *output = out;
  if (errors) {
    std::ifstream err(err_path);
    std::stringstream text;
    text << err.rdbuf();
    *errors = text.str();
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> Params(const std::string& raw) {
  std::string line = raw;
  if (!line.empty() && line[0] == '@') {
    const size_t sp = line.find(' ');
    line = sp == std::string::npos ? "" : line.substr(sp + 1);
  }
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    if (line[i] == ':') {
      out.push_back(line.substr(i + 1));
      break;
    }
    const size_t end = line.find(' ', i);
    out.push_back(line.substr(i, end == std::string::npos ? std::string::npos : end - i));
    i = end == std::string::npos ? line.size() : end;
  }
  return out;
}

Client::Client(const std::string& host, uint16_t port, const std::string& source,
               int receive_buffer) {
  const bool v6 = host.find(':') != std::string::npos;
  // Close-on-exec: a server or broker the test starts later must not hold
  // the connection open after the client closes it.
  fd_ = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (receive_buffer > 0) {
    // Before connect, so that the window is small from the start.
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  if (v6) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    ::inet_pton(AF_INET6, host.c_str(), &a.sin6_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      Close();
      throw std::runtime_error("connect failed");
    }
  } else {
    if (!source.empty()) {
      sockaddr_in s{};
      s.sin_family = AF_INET;
      ::inet_pton(AF_INET, source.c_str(), &s.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&s), sizeof s) != 0) {
        Close();
        throw std::runtime_error("bind to " + source + " failed");
      }
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    ::inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      Close();
      throw std::runtime_error("connect failed");
    }
  }
  hello_ = ReadLine().value_or("");
}

Client::~Client() { Close(); }

void Client::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Client::ShutdownWrite() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

void Client::SendRaw(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<size_t>(n);
  }
}

std::optional<std::string> Client::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    const size_t lf = buf_.find('\n');
    if (lf != std::string::npos) {
      std::string line = buf_.substr(0, lf);
      buf_.erase(0, lf + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (fd_ < 0) return std::nullopt;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) throw std::runtime_error("no line in time; have: " + buf_.substr(0, 200));
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      Close();
      if (buf_.empty()) return std::nullopt;
      continue;
    }
    buf_.append(chunk, static_cast<size_t>(n));
  }
}

namespace {

bool IsEvent(const std::string& line) {
  static const char* kEvents[] = {"MSG ",     "PRESENCE ", "POLL ",    "BYE ",
                                  "INVITED ", "ACCEPTED ", "DECLINED "};
  for (const char* e : kEvents) {
    if (line.rfind(e, 0) == 0) return true;
  }
  return false;
}

}  // namespace

Reply LineClient::ReadReply(std::chrono::milliseconds timeout) {
  Reply r;
  while (true) {
    auto line = ReadLine(timeout);
    if (!line) throw std::runtime_error("connection closed before a reply");
    if (IsEvent(*line)) {
      if (!r.data.empty()) throw std::runtime_error("event inside a reply: " + *line);
      events_.push_back(*line);
      continue;
    }
    std::string body = *line;
    if (!body.empty() && body[0] == '@') body = body.substr(body.find(' ') + 1);
    if (body.rfind("OK ", 0) == 0 || body.rfind("ERR ", 0) == 0) {
      r.final = body;
      r.params = Params(body);
      return r;
    }
    r.data.push_back(body);
  }
}

Reply LineClient::Cmd(const std::string& line, std::chrono::milliseconds timeout) {
  Send(line);
  return ReadReply(timeout);
}

std::string LineClient::WaitEvent(const std::string& prefix, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    for (auto it = events_.begin(); it != events_.end(); ++it) {
      if (it->rfind(prefix, 0) == 0) {
        std::string e = *it;
        events_.erase(it);
        return e;
      }
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) throw std::runtime_error("no event " + prefix);
    auto line = ReadLine(left);
    if (!line) throw std::runtime_error("closed while waiting for " + prefix);
    events_.push_back(*line);
  }
}

bool LineClient::EventArrives(const std::string& prefix, std::chrono::milliseconds wait) {
  try {
    WaitEvent(prefix, wait);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

std::vector<std::string> LineClient::WaitClosed(std::chrono::milliseconds timeout) {
  std::vector<std::string> lines(events_.begin(), events_.end());
  events_.clear();
  while (auto line = ReadLine(timeout)) lines.push_back(*line);
  return lines;
}

void Register(const ServerProcess& server, const std::string& name, const std::string& password) {
  Client c("127.0.0.1", server.port());
  auto r = c.Cmd("REGISTER " + name + " " + password);
  if (!r.ok()) throw std::runtime_error("REGISTER: " + r.final);
}

std::unique_ptr<Client> LoggedIn(const ServerProcess& server, const std::string& name,
                                 const std::string& password, std::string* token) {
  auto c = std::make_unique<Client>("127.0.0.1", server.port());
  // Each is a password hash: on a loaded machine, with other clients
  // hashing at once, one may wait well past the usual reply timeout.
  constexpr std::chrono::seconds kHashing(60);
  auto r = c->Cmd("REGISTER " + name + " " + password, kHashing);
  if (!r.ok()) throw std::runtime_error("REGISTER: " + r.final);
  r = c->Cmd("LOGIN " + name + " " + password, kHashing);
  if (!r.ok()) throw std::runtime_error("LOGIN: " + r.final);
  if (token) *token = r.params.size() > 3 ? r.params[3] : "";
  return c;
}

std::unique_ptr<Client> LoginWhenKnown(const ServerProcess& server, const std::string& name,
                                       const std::string& password) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto c = std::make_unique<Client>("127.0.0.1", server.port());
    auto r = c->Cmd("LOGIN " + name + " " + password);
    if (r.ok()) return c;
    if (r.code() != "NO_SUCH_USER") throw std::runtime_error("LOGIN " + name + ": " + r.final);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("the server never saw account " + name);
}

bool LogShows(const ServerProcess& server, const std::string& text,
              std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (server.Log().find(text) != std::string::npos) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int64_t WireMs(const std::string& t) {
  tm parts{};
  int ms = 0;
  char z = 0;
  if (t.size() != 24 ||
      std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &parts.tm_year, &parts.tm_mon,
                  &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &ms, &z) != 8 ||
      z != 'Z') {
    return -1;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  return static_cast<int64_t>(::timegm(&parts)) * 1000 + ms;
}

std::string WireTime(int64_t unix_ms) {
  const time_t secs = static_cast<time_t>(unix_ms / 1000);
  tm parts{};
  ::gmtime_r(&secs, &parts);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

void AfterTime(const std::string& t, std::chrono::milliseconds later) {
  const int64_t ms = WireMs(t);
  if (ms < 0) throw std::runtime_error("not a wire time: " + t);
  // 2 ms more: the server's clock and ours are the same, read a moment apart.
  const int64_t until = ms + later.count() + 2;
  while (std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() <= until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  if (port == 0) throw std::runtime_error("no free port");
  return port;
}

std::string FreshName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(::getpid() % 10000) + "_" + std::to_string(++counter);
}

}  // namespace caucus::test
