// End to end: caucusd's HTTP side (issue 10): the web client's files with
// their headers and caching, health checks, /metrics and its counters, and
// bad HTTP input.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "harness.h"
#include "web_client.h"

namespace caucus::test {
namespace {

namespace bh = boost::beast::http;

const std::string kPassword = "password-123";

std::string Header(const HttpResponse& r, bh::field f) { return std::string(r[f]); }
std::string Header(const HttpResponse& r, const std::string& name) { return std::string(r[name]); }

void ExpectSecurityHeaders(const HttpResponse& r) {
  const std::string csp = Header(r, "Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self' ws: wss:"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(r, "Referrer-Policy"), "no-referrer");
}

TEST(HttpE2E, ServesTheEmbeddedPageWithEtagAndSecurityHeaders) {
  ServerProcess server;
  const uint16_t port = server.http_port();
  ASSERT_NE(port, 0);
  auto page = HttpRequest(port, "/");
  EXPECT_EQ(page.result(), bh::status::ok);
  EXPECT_EQ(Header(page, bh::field::content_type), "text/html; charset=utf-8");
  EXPECT_NE(page.body().find("<html"), std::string::npos);
  ExpectSecurityHeaders(page);
  const std::string etag = Header(page, bh::field::etag);
  ASSERT_FALSE(etag.empty());

  auto again = HttpRequest(port, "/index.html", {{"If-None-Match", etag}});
  EXPECT_EQ(again.result(), bh::status::not_modified);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(Header(again, bh::field::etag), etag);
  auto other = HttpRequest(port, "/", {{"If-None-Match", "\"something-else\""}});
  EXPECT_EQ(other.result(), bh::status::ok);

  auto head = HttpRequest(port, "/", {}, bh::verb::head);
  EXPECT_EQ(head.result(), bh::status::ok);
  EXPECT_EQ(Header(head, bh::field::content_length), std::to_string(page.body().size()));

  EXPECT_EQ(HttpRequest(port, "/no-such-file.js").result(), bh::status::not_found);
  EXPECT_EQ(HttpRequest(port, "/../../etc/passwd").result(), bh::status::not_found);
  EXPECT_EQ(HttpRequest(port, "/%2e%2e/etc/passwd").result(), bh::status::not_found);
  auto post = HttpRequest(port, "/", {}, bh::verb::post);
  EXPECT_EQ(post.result(), bh::status::method_not_allowed);
  EXPECT_EQ(Header(post, bh::field::allow), "GET, HEAD");
  ExpectSecurityHeaders(post);
}

TEST(HttpE2E, WebRootServesFilesFromDisk) {
  TempDir root;
  std::filesystem::create_directories(root.path() + "/css");
  std::ofstream(root.path() + "/index.html") << "<!doctype html><title>dev</title>";
  std::ofstream(root.path() + "/app.js") << "export const a = 1;\n";
  std::ofstream(root.path() + "/css/site.css") << "body{}";
  std::ofstream(root.path() + "/.env.js") << "secret";
  std::ofstream(root.path() + "/notes.md") << "secret";
  ServerProcess server({"--web-root", root.path()});
  const uint16_t port = server.http_port();
  auto js = HttpRequest(port, "/app.js");
  EXPECT_EQ(js.result(), bh::status::ok);
  EXPECT_EQ(Header(js, bh::field::content_type), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body(), "export const a = 1;\n");
  EXPECT_EQ(Header(HttpRequest(port, "/css/site.css"), bh::field::content_type),
            "text/css; charset=utf-8");
  EXPECT_EQ(HttpRequest(port, "/.env.js").result(), bh::status::not_found);
  EXPECT_EQ(HttpRequest(port, "/notes.md").result(), bh::status::not_found);
  EXPECT_EQ(HttpRequest(port, "/").body(), "<!doctype html><title>dev</title>");
  // Read on every request: an edit shows at once, with a new ETag.
  const std::string etag = Header(js, bh::field::etag);
  std::ofstream(root.path() + "/app.js") << "export const a = 2;\n";
  auto edited = HttpRequest(port, "/app.js", {{"If-None-Match", etag}});
  EXPECT_EQ(edited.result(), bh::status::ok);
  EXPECT_NE(Header(edited, bh::field::etag), etag);
}

TEST(HttpE2E, HealthAndReadiness) {
  ServerProcess server;
  auto health = HttpRequest(server.http_port(), "/healthz");
  EXPECT_EQ(health.result(), bh::status::ok);
  EXPECT_EQ(health.body(), "ok\n");
  auto ready = HttpRequest(server.http_port(), "/readyz");
  EXPECT_EQ(ready.result(), bh::status::ok);
  EXPECT_EQ(ready.body(), "ready\n");
}

TEST(HttpE2E, KeepAliveServesSeveralRequestsOnOneConnection) {
  ServerProcess server;
  const std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string last = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const std::string out = RawExchange(server.http_port(), one + one + last);
  size_t count = 0;
  for (size_t at = out.find("HTTP/1.1 200"); at != std::string::npos;
       at = out.find("HTTP/1.1 200", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u) << out;
}

TEST(HttpE2E, BadRequestsGetTheirStatus) {
  ServerProcess server({"--handshake-timeout", "1"});
  const uint16_t port = server.http_port();
  EXPECT_TRUE(StartsWith(RawExchange(port, "NOT HTTP AT ALL\r\n\r\n"), "HTTP/1.1 400"));
  const std::string huge =
      "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  EXPECT_TRUE(StartsWith(RawExchange(port, huge), "HTTP/1.1 431"));
  // Headers begun and never finished: 408 once the handshake timeout passes.
  EXPECT_TRUE(StartsWith(RawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n"), "HTTP/1.1 408"));
  // A connection that says nothing is closed without a word.
  EXPECT_EQ(RawExchange(port, ""), "");
  const std::string log = server.Log();
  EXPECT_NE(log.find(": 431"), std::string::npos);
  EXPECT_NE(log.find(": 408"), std::string::npos);
  EXPECT_NE(log.find(": 400"), std::string::npos);
  EXPECT_EQ(HttpRequest(port, "/healthz").result(), bh::status::ok);
  // Nothing is left behind: the only HTTP connection open is the scrape's.
  auto page = HttpRequest(port, "/metrics");
  EXPECT_NE(page.body().find("\ncaucus_http_connections_open 1\n"), std::string::npos)
      << page.body();
}

// The value of one sample ("name{labels}") on the page; -1 when absent.
double Sample(const std::string& page, const std::string& sample) {
  std::istringstream in(page);
  std::string line;
  while (std::getline(in, line)) {
    if (StartsWith(line, sample + " ")) return std::stod(line.substr(sample.size() + 1));
  }
  return -1;
}

std::string Metrics(const ServerProcess& server) {
  auto r = HttpRequest(server.http_port(), "/metrics");
  if (r.result() != bh::status::ok) throw std::runtime_error("GET /metrics: " + r.body());
  return r.body();
}

TEST(HttpE2E, MetricsCountersMove) {
  ServerProcess server;
  const std::string before = Metrics(server);
  EXPECT_EQ(Sample(before, "caucus_logins_total{outcome=\"ok\"}"), 0);
  EXPECT_EQ(Sample(before, "caucus_connections_open{transport=\"ws\"}"), 0);

  const std::string a = FreshName("a"), b = FreshName("b"), c = FreshName("c");
  Register(server, c);
  auto tcp = LoggedIn(server, a);
  WsClient ws(server.http_port());
  ASSERT_TRUE(ws.Cmd("REGISTER " + b + " " + kPassword).ok());
  EXPECT_EQ(ws.Cmd("LOGIN " + b + " wrong-password").code(), "AUTH_FAILED");
  ASSERT_TRUE(ws.Cmd("LOGIN " + b + " " + kPassword).ok());
  ASSERT_TRUE(tcp->Cmd("SEND " + b + " :live").ok());
  ASSERT_TRUE(tcp->Cmd("SEND " + c + " :later").ok());
  ASSERT_TRUE(ws.Cmd("BROADCAST :all").ok());

  const std::string after = Metrics(server);
  EXPECT_EQ(Sample(after, "caucus_logins_total{outcome=\"ok\"}"), 2);
  EXPECT_EQ(Sample(after, "caucus_logins_total{outcome=\"failed\"}"), 1);
  EXPECT_EQ(Sample(after, "caucus_messages_total{outcome=\"delivered\"}"), 1);
  EXPECT_EQ(Sample(after, "caucus_messages_total{outcome=\"stored\"}"), 1);
  EXPECT_EQ(Sample(after, "caucus_broadcasts_total"), 1);
  EXPECT_EQ(Sample(after, "caucus_broadcast_deliveries_total"), 1);
  EXPECT_EQ(Sample(after, "caucus_connections_open{transport=\"ws\"}"), 1);
  EXPECT_GE(Sample(after, "caucus_connections_accepted_total{transport=\"tcp\"}"), 2);
  EXPECT_EQ(Sample(after, "caucus_sessions{state=\"logged_in\"}"), 2);
  // Registrations and tokens were committed: the commit histograms moved.
  EXPECT_GT(Sample(after, "caucus_store_commit_batch_size_count"), 0);
  EXPECT_GT(Sample(after, "caucus_store_commit_seconds_count"), 0);
  EXPECT_EQ(Sample(after, "caucus_store_commit_seconds_count"),
            Sample(after, "caucus_store_commit_seconds_bucket{le=\"+Inf\"}"));
  EXPECT_GE(Sample(after, "caucus_event_loop_lag_seconds_count"), 0);
}

TEST(HttpE2E, MetricsCountVotesAndLockouts) {
  ServerProcess server({"--max-attempts", "2"});
  std::string out;
  const std::string admin_name = FreshName("boss");
  ASSERT_EQ(server.Cli({"users", "add", admin_name, "--admin"}, "admin-password-1\n", &out), 0)
      << out;
  auto admin = LoginWhenKnown(server, admin_name, "admin-password-1");
  auto r = admin->Cmd("POLLNEW - +600 - :Lunch");
  ASSERT_TRUE(r.ok()) << r.final;
  const std::string poll = r.params[2];
  ASSERT_TRUE(admin->Cmd("POLLOPTION " + poll + " :Soup").ok());
  ASSERT_TRUE(admin->Cmd("POLLOPTION " + poll + " :Salad").ok());
  ASSERT_TRUE(admin->Cmd("POLLOPEN " + poll).ok());
  WsClient ws(server.http_port());
  const std::string voter = FreshName("v");
  ASSERT_TRUE(ws.Cmd("REGISTER " + voter + " " + kPassword).ok());
  ASSERT_TRUE(ws.Cmd("LOGIN " + voter + " " + kPassword).ok());
  r = ws.Cmd("VOTE " + poll + " 2");
  ASSERT_TRUE(r.ok()) << r.final;

  const std::string victim = FreshName("x");
  Register(server, victim);
  bool locked = false;
  for (int i = 0; i < 5 && !locked; ++i) {
    Client guesser("127.0.0.1", server.port());  // LOCKED ends the session
    locked = guesser.Cmd("LOGIN " + victim + " not-the-password").code() == "LOCKED";
  }
  EXPECT_TRUE(locked);
  const std::string page = Metrics(server);
  EXPECT_EQ(Sample(page, "caucus_votes_acknowledged_total"), 1);
  EXPECT_GE(Sample(page, "caucus_logins_total{outcome=\"locked\"}"), 1);
}

TEST(HttpE2E, MetricsPassPromtool) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  }
  ServerProcess server;
  auto tcp = LoggedIn(server, FreshName("p"));
  WsClient ws(server.http_port());
  TempDir dir;
  const std::string file = dir.path() + "/metrics.txt";
  std::ofstream(file) << Metrics(server);
  const std::string cmd = "promtool check metrics < '" + file + "' > '" + file + ".out' 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(file + ".out");
  std::stringstream problems;
  problems << in.rdbuf();
  EXPECT_EQ(status, 0) << problems.str();
  EXPECT_EQ(problems.str(), "");
}

// A local address that is not loopback, or "" when the machine has none.
std::string NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return "";
  std::string found;
  for (ifaddrs* i = list; i != nullptr && found.empty(); i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN];
    const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    if (!StartsWith(text, "127.")) found = text;
  }
  ::freeifaddrs(list);
  return found;
}

// An HTTP GET of `target` to `address`:`port` with a raw socket.
std::string GetFrom(const std::string& address, uint16_t port, const std::string& target) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, address.c_str(), &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    throw std::runtime_error("connect to " + address);
  }
  const std::string req = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

TEST(HttpE2E, MetricsOnlyForLoopbackAndAllowedAddresses) {
  const std::string address = NonLoopbackAddress();
  if (address.empty()) GTEST_SKIP() << "no address but loopback on this machine";
  {
    ServerProcess server({"--http-listen", "0.0.0.0", "--http-port", "any"});
    EXPECT_TRUE(StartsWith(GetFrom(address, server.http_port(), "/metrics"), "HTTP/1.1 403"));
    EXPECT_TRUE(StartsWith(GetFrom(address, server.http_port(), "/healthz"), "HTTP/1.1 200"));
    EXPECT_TRUE(StartsWith(GetFrom("127.0.0.1", server.http_port(), "/metrics"), "HTTP/1.1 200"));
    EXPECT_NE(server.Log().find("/metrics refused to " + address), std::string::npos);
  }
  ServerProcess server(
      {"--http-listen", "0.0.0.0", "--http-port", "any", "--metrics-allow", address + "/32"});
  EXPECT_TRUE(StartsWith(GetFrom(address, server.http_port(), "/metrics"), "HTTP/1.1 200"));
}

TEST(HttpE2E, HttpCanBeTurnedOff) {
  ServerProcess server({"--http-port", "0"});
  EXPECT_EQ(server.http_port(), 0);
  EXPECT_TRUE(Client("127.0.0.1", server.port()).Cmd("PING").ok());
}

}  // namespace
}  // namespace caucus::test
