// End to end: the line protocol over the WebSocket at /ws (issue 10), next
// to the same protocol over TCP, against the real caucusd.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cstdlib>
#include <regex>
#include <thread>

#include "harness.h"
#include "web_client.h"

namespace caucus::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kPassword = "password-123";

std::unique_ptr<WsClient> WsLoggedIn(const ServerProcess& server, const std::string& name,
                                     std::string* token = nullptr) {
  auto c = std::make_unique<WsClient>(server.http_port());
  auto r = c->Cmd("REGISTER " + name + " " + kPassword);
  if (!r.ok()) throw std::runtime_error("REGISTER: " + r.final);
  r = c->Cmd("LOGIN " + name + " " + kPassword);
  if (!r.ok()) throw std::runtime_error("LOGIN: " + r.final);
  if (token) *token = r.params[3];
  return c;
}

// Replaces what differs from run to run (names, times, ids, tokens) so
// that a TCP and a WebSocket transcript can be compared.
std::string Normalize(std::string line, const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i) {
    line = std::regex_replace(line, std::regex(names[i]), "<user" + std::to_string(i) + ">");
  }
  line = std::regex_replace(line, std::regex(R"(\d{4}-\d\d-\d\dT[\d:.]+Z)"), "<time>");
  line = std::regex_replace(line, std::regex(R"(OK LOGIN (\S+) \S+)"), "OK LOGIN $1 <token>");
  line = std::regex_replace(line, std::regex(R"(OK (SEND|POST|BROADCAST) \d+)"), "OK $1 <id>");
  line = std::regex_replace(line, std::regex(R"(^DM \d+)"), "DM <id>");
  line = std::regex_replace(line, std::regex(R"(OK HISTORY (\S+) (\d+) \d+)"),
                            "OK HISTORY $1 $2 <id>");
  return line;
}

// The same commands, answered alike over TCP and over the WebSocket.
TEST(WebSocketE2E, RepliesAreTheSameAsOverTcp) {
  ServerProcess server;
  auto transcript = [&](LineClient& c, const std::string& me, const std::string& other) {
    std::vector<std::string> out;
    out.push_back(Normalize(c.hello(), {me, other}));
    for (const std::string& line : std::vector<std::string>{"PING",
                                                            "@t1 PING :hello there",
                                                            "NOSUCHVERB",
                                                            "WHO",
                                                            "LOGIN " + me + " wrongpassword",
                                                            "REGISTER " + me + " " + kPassword,
                                                            "REGISTER " + me + " " + kPassword,
                                                            "LOGIN " + me + " wrong-password",
                                                            "LOGIN " + me + " " + kPassword,
                                                            "LOGIN " + me + " " + kPassword,
                                                            "SEND " + other + " :hi",
                                                            "SEND nobody-here :hi",
                                                            "SEND " + me + " :me",
                                                            "BLOCKS",
                                                            "POST :a post",
                                                            "BOARD",
                                                            "HISTORY " + other,
                                                            "VOTE p999 1",
                                                            "POLLNEW - +60 - :x",
                                                            "HELLO caucus/1"}) {
      auto r = c.Cmd(line);
      for (const auto& d : r.data) out.push_back(Normalize(d, {me, other}));
      out.push_back(Normalize(r.final, {me, other}));
    }
    return out;
  };
  const std::string other_tcp = FreshName("peer"), other_ws = FreshName("peer");
  Register(server, other_tcp);
  Register(server, other_ws);
  Client tcp("127.0.0.1", server.port());
  WsClient ws(server.http_port());
  const auto over_tcp = transcript(tcp, FreshName("tcp"), other_tcp);
  const auto over_ws = transcript(ws, FreshName("tcp"), other_ws);
  ASSERT_EQ(over_tcp.size(), over_ws.size());
  for (size_t i = 0; i < over_tcp.size(); ++i) EXPECT_EQ(over_tcp[i], over_ws[i]) << i;
}

// A WebSocket user and a TCP user see each other as equals: presence, WHO,
// direct messages both ways, broadcasts.
TEST(WebSocketE2E, WebSocketAndTcpUsersTalk) {
  ServerProcess server;
  const std::string tcp_name = FreshName("tcp"), ws_name = FreshName("web");
  auto tcp = LoggedIn(server, tcp_name);
  auto ws = WsLoggedIn(server, ws_name);
  EXPECT_TRUE(StartsWith(tcp->WaitEvent("PRESENCE " + ws_name), "PRESENCE " + ws_name + " online"));

  auto who = ws->Cmd("WHO");
  ASSERT_TRUE(who.ok()) << who.final;
  bool seen = false;
  for (const auto& line : who.data) seen = seen || StartsWith(line, "USER " + tcp_name + " ");
  EXPECT_TRUE(seen);
  who = tcp->Cmd("WHO");
  seen = false;
  for (const auto& line : who.data) seen = seen || StartsWith(line, "USER " + ws_name + " ");
  EXPECT_TRUE(seen);

  auto r = ws->Cmd("SEND " + tcp_name + " :from the browser");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(r.params.back(), "delivered");
  auto msg = Params(tcp->WaitEvent("MSG "));
  EXPECT_EQ(msg[3], ws_name);
  EXPECT_EQ(msg.back(), "from the browser");

  r = tcp->Cmd("SEND " + ws_name + " :from the terminal");
  ASSERT_TRUE(r.ok()) << r.final;
  msg = Params(ws->WaitEvent("MSG "));
  EXPECT_EQ(msg[3], tcp_name);
  EXPECT_EQ(msg.back(), "from the terminal");

  r = tcp->Cmd("BROADCAST :to everyone");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(Params(ws->WaitEvent("MSG ")).back(), "to everyone");

  ws->Cmd("LOGOUT");
  EXPECT_TRUE(
      StartsWith(tcp->WaitEvent("PRESENCE " + ws_name), "PRESENCE " + ws_name + " offline"));
}

TEST(WebSocketE2E, ResumeWithTheTokenOnANewWebSocket) {
  ServerProcess server;
  const std::string name = FreshName("web");
  std::string token;
  { auto ws = WsLoggedIn(server, name, &token); }
  for (int i = 0; i < 100; ++i) {
    WsClient again(server.http_port());
    auto r = again.Cmd("RESUME " + token);
    if (r.code() == "ALREADY_ONLINE") {  // the old socket's close not yet seen
      std::this_thread::sleep_for(milliseconds(50));
      continue;
    }
    ASSERT_TRUE(r.ok()) << r.final;
    EXPECT_EQ(r.params[2], name);
    return;
  }
  FAIL() << "RESUME never succeeded";
}

TEST(WebSocketE2E, AFrameEndingInLfIsOneLine) {
  ServerProcess server;
  WsClient ws(server.http_port());
  ws.SendFrame("PING :with lf\r\n");
  auto r = ws.ReadReply();
  EXPECT_EQ(r.final, "OK PING :with lf");
  ws.SendFrame("PING a\nPING b");  // an LF inside a frame is a control byte
  EXPECT_EQ(ws.ReadReply().code(), "BAD_ENCODING");
}

TEST(WebSocketE2E, WrongOriginIsRefused) {
  ServerProcess server;
  EXPECT_THROW(WsClient(server.http_port(), "http://evil.example"), boost::system::system_error);
  const std::string raw =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      "Origin: http://evil.example\r\n\r\n";
  EXPECT_TRUE(StartsWith(RawExchange(server.http_port(), raw), "HTTP/1.1 403"));
  EXPECT_NE(server.Log().find("origin 'http://evil.example' is not allowed"), std::string::npos);
  // The page's own origin, and a client that sends none, are welcome.
  EXPECT_TRUE(StartsWith(WsClient(server.http_port()).hello(), "HELLO caucus/1"));
  EXPECT_TRUE(StartsWith(WsClient(server.http_port(), "-").hello(), "HELLO caucus/1"));
}

TEST(WebSocketE2E, OriginAllowList) {
  ServerProcess server({"--http-origin", "https://vote.example.org"});
  EXPECT_TRUE(
      StartsWith(WsClient(server.http_port(), "https://vote.example.org").hello(), "HELLO"));
  EXPECT_THROW(WsClient(server.http_port(), "https://other.example.org"),
               boost::system::system_error);
  // With a list, the page's own origin must be on it too.
  EXPECT_THROW(WsClient(server.http_port()), boost::system::system_error);
}

TEST(WebSocketE2E, OversizedFrameClosesWith1009) {
  ServerProcess server({"--max-line", "1024"});
  WsClient ws(server.http_port());
  EXPECT_TRUE(ws.Cmd("PING :" + std::string(1000, 'x')).ok());
  ws.Send("PING :" + std::string(4000, 'x'));
  EXPECT_EQ(ws.ReadLine(), std::nullopt);
  EXPECT_EQ(ws.close_code(), 1009);
  EXPECT_TRUE(LogShows(server, "over --max-line"));
  // Nothing is left behind: the server serves the next client.
  EXPECT_TRUE(WsClient(server.http_port()).Cmd("PING").ok());
}

TEST(WebSocketE2E, BinaryFrameClosesWith1003) {
  ServerProcess server;
  WsClient ws(server.http_port());
  ws.SendFrame("PING", /*text=*/false);
  EXPECT_EQ(ws.ReadLine(), std::nullopt);
  EXPECT_EQ(ws.close_code(), 1003);
}

TEST(WebSocketE2E, BadUpgrades) {
  ServerProcess server;
  const uint16_t port = server.http_port();
  const std::string head = "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
  const std::string key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  // No key: Beast answers 400.
  EXPECT_TRUE(StartsWith(
      RawExchange(port, "GET /ws HTTP/1.1\r\n" + head + "Sec-WebSocket-Version: 13\r\n\r\n"),
      "HTTP/1.1 400"));
  // A version other than 13: 426 with the version we speak.
  const auto wrong_version =
      RawExchange(port, "GET /ws HTTP/1.1\r\n" + head + key + "Sec-WebSocket-Version: 8\r\n\r\n");
  EXPECT_TRUE(StartsWith(wrong_version, "HTTP/1.1 426")) << wrong_version;
  // Not an upgrade at all: 426.
  EXPECT_TRUE(StartsWith(
      RawExchange(port, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
      "HTTP/1.1 426"));
  // An upgrade of another path: 404.
  EXPECT_TRUE(StartsWith(RawExchange(port, "GET /chat HTTP/1.1\r\n" + head + key +
                                               "Sec-WebSocket-Version: 13\r\n\r\n"),
                         "HTTP/1.1 404"));
  // The server still serves.
  EXPECT_TRUE(WsClient(port).Cmd("PING").ok());
}

TEST(WebSocketE2E, HandshakeTimeoutSaysByeAsOverTcp) {
  ServerProcess server({"--handshake-timeout", "1"});
  WsClient ws(server.http_port());
  Client tcp("127.0.0.1", server.port());
  EXPECT_TRUE(StartsWith(ws.WaitEvent("BYE "), "BYE HANDSHAKE_TIMEOUT"));
  EXPECT_TRUE(StartsWith(tcp.WaitEvent("BYE "), "BYE HANDSHAKE_TIMEOUT"));
  EXPECT_EQ(ws.ReadLine(), std::nullopt);
  EXPECT_EQ(ws.close_code(), 1000);
}

TEST(WebSocketE2E, PerAddressLimitCountsWebSocketsAndTcpTogether) {
  ServerProcess server({"--max-connections-per-ip", "2"});
  WsClient first(server.http_port());
  Client second("127.0.0.1", server.port());
  WsClient third(server.http_port());
  EXPECT_TRUE(StartsWith(third.hello(), "BYE TOO_MANY_CONNECTIONS")) << third.hello();
  EXPECT_EQ(third.ReadLine(), std::nullopt);
  EXPECT_EQ(third.close_code(), 1013);
  Client fourth("127.0.0.1", server.port());
  EXPECT_TRUE(StartsWith(fourth.hello(), "BYE TOO_MANY_CONNECTIONS")) << fourth.hello();
  EXPECT_TRUE(first.Cmd("PING").ok());
}

TEST(WebSocketE2E, RateLimitsApplyAsOverTcp) {
  ServerProcess server({"--commands-per-second", "1", "--command-burst", "3"});
  WsClient ws(server.http_port());
  int limited = 0;
  for (int i = 0; i < 10; ++i) limited += ws.Cmd("PING").code() == "RATE_LIMITED" ? 1 : 0;
  EXPECT_GE(limited, 5);
}

TEST(WebSocketE2E, ShutdownSaysBye) {
  ServerProcess server;
  auto ws = WsLoggedIn(server, FreshName("web"));
  // An HTTP connection left open between requests does not hold the
  // shutdown up (and, under the sanitizers, nothing leaks at exit).
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket idle(io);
  idle.connect({boost::asio::ip::make_address("127.0.0.1"), server.http_port()});
  EXPECT_TRUE(StartsWith(
      RawExchange(server.http_port(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"),
      "HTTP/1.1 200"));
  int status = -2;
  std::thread stop([&] { status = server.Stop(); });
  EXPECT_TRUE(StartsWith(ws->WaitEvent("BYE "), "BYE SHUTDOWN"));
  stop.join();
  EXPECT_EQ(status, 0) << server.Log();
}

// With a TLS certificate the HTTP port speaks HTTPS, and /ws is wss://.
TEST(WebSocketE2E, SecureWebSocketOnTheTlsCertificate) {
  namespace asio = boost::asio;
  namespace ssl = asio::ssl;
  namespace beast = boost::beast;
  TempDir certs;
  const std::string make =
      std::string(CAUCUSD_PATH) + " tls self-signed '" + certs.path() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(make.c_str()), 0);
  ServerProcess server({"--tls-cert", certs.path() + "/cert.pem", "--tls-key",
                        certs.path() + "/key.pem", "--tls-listen", "127.0.0.1", "--tls-port", "0"});
  asio::io_context io;
  ssl::context tls(ssl::context::tls_client);
  tls.set_verify_mode(ssl::verify_none);  // self-signed
  beast::websocket::stream<ssl::stream<asio::ip::tcp::socket>> ws(io, tls);
  beast::get_lowest_layer(ws).connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.http_port()));
  timeval limit{15, 0};  // a server that never answers fails the test instead of hanging it
  ::setsockopt(beast::get_lowest_layer(ws).native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit,
               sizeof limit);
  ws.next_layer().handshake(ssl::stream_base::client);
  const std::string host = "127.0.0.1:" + std::to_string(server.http_port());
  ws.set_option(beast::websocket::stream_base::decorator(
      [host](beast::websocket::request_type& req) { req.set("Origin", "https://" + host); }));
  ws.handshake(host, "/ws");
  beast::flat_buffer buffer;
  ws.read(buffer);
  EXPECT_TRUE(StartsWith(beast::buffers_to_string(buffer.data()), "HELLO caucus/1"));
  buffer.consume(buffer.size());
  ws.text(true);
  ws.write(asio::buffer(std::string("PING :over tls")));
  ws.read(buffer);
  EXPECT_EQ(beast::buffers_to_string(buffer.data()), "OK PING :over tls");

  // Every HTTPS response tells browsers to use nothing else for this host.
  ssl::stream<asio::ip::tcp::socket> https(io, tls);
  https.next_layer().connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.http_port()));
  ::setsockopt(https.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  https.handshake(ssl::stream_base::client);
  asio::write(https,
              asio::buffer("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
  std::string response;
  boost::system::error_code ec;
  asio::read(https, asio::dynamic_buffer(response), ec);
  EXPECT_TRUE(StartsWith(response, "HTTP/1.1 200")) << response.substr(0, 200);
  EXPECT_NE(response.find("Strict-Transport-Security: max-age=31536000\r\n"), std::string::npos)
      << response.substr(0, response.find("\r\n\r\n"));

  // Plain HTTP on the HTTPS port gets nowhere.
  EXPECT_FALSE(StartsWith(
      RawExchange(server.http_port(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"),
      "HTTP/1.1 200"));
  ws.close(beast::websocket::close_code::normal);
}

}  // namespace
}  // namespace caucus::test
