// End to end, peer to peer: real caucus clients (scripts, --json) against
// the real caucusd, talking privately over TCP and sending files over UDP,
// some through a relay that drops, duplicates and reorders datagrams; and a
// test acting as a third party without a (valid, unused) ticket.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "client_process.h"
#include "harness.h"
#include "udp_relay.h"

namespace caucus::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr char kPassword[] = "password-123";

// One caucus script: stdin, stdout and stderr on pipes; stdin stays open
// until CloseInput(), so the test can type as things happen.
using Script = ClientProcess;

// The value of "key" in the first JSON line at or after `from` that holds
// `marker`.
std::string Field(const std::string& output, const std::string& marker, const std::string& key,
                  size_t from = 0) {
  const size_t at = output.find(marker, from);
  if (at == std::string::npos) return {};
  const size_t line_start =
      output.rfind('\n', at) == std::string::npos ? 0 : output.rfind('\n', at);
  const size_t line_end = output.find('\n', at);
  const std::string line = output.substr(line_start, line_end - line_start);
  std::smatch m;
  if (std::regex_search(line, m, std::regex("\"" + key + "\":\"([^\"]*)\""))) return m[1];
  return {};
}

std::string Sha256Hex(const std::string& data) {
  unsigned char h[32];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string WriteRandomFile(const std::string& path, size_t size) {
  std::string data(size, '\0');
  randombytes_buf(data.data(), data.size());
  std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(size));
  return data;
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return names;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

// A port free for both TCP and UDP on every address, just now.
uint16_t FreePort() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int u = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    ::bind(u, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(u, reinterpret_cast<sockaddr*>(&a), &len);
    const int t = ::socket(AF_INET, SOCK_STREAM, 0);
    const bool ok = ::bind(t, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(t);
    ::close(u);
    if (ok) return ntohs(a.sin_port);
  }
  throw std::runtime_error("no free port");
}

// Sends one UDP datagram to 127.0.0.1:port from `fd` and waits for one back.
std::string UdpExchange(int fd, uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds timeout = 5s) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(port);
  ::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
  char buf[2048];
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

// Sends `bytes` until an answer comes, as a real sender repeats START (the
// receiver may hold it while its ACCEPT is on the way); the answer or empty.
std::string UdpAsk(int fd, uint16_t port, const std::string& bytes) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::string reply = UdpExchange(fd, port, bytes, 250ms);
    if (!reply.empty()) return reply;
  }
  return {};
}

// A START datagram (docs/protocol.md, "Files over UDP").
std::string StartDatagram(uint32_t transfer, const std::string& ticket, uint64_t size,
                          const std::string& sha_hex) {
  std::string d = {'\xCA', '\x55', 1, 1};
  for (int i = 3; i >= 0; --i) d.push_back(static_cast<char>(transfer >> (8 * i)));
  d.push_back(static_cast<char>(ticket.size()));
  d += ticket;
  for (int i = 7; i >= 0; --i) d.push_back(static_cast<char>(size >> (8 * i)));
  unsigned char sha[32] = {};
  sodium_hex2bin(sha, sizeof sha, sha_hex.data(), sha_hex.size(), nullptr, nullptr, nullptr);
  d.append(reinterpret_cast<char*>(sha), 32);
  d.push_back(static_cast<char>(1200 >> 8));
  d.push_back(static_cast<char>(1200 & 0xFF));
  return d;
}

int UdpSocket() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  return fd;
}

int TcpConnect(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// True when the peer closes `fd` within `timeout` (reading and discarding).
bool ClosedByPeer(int fd, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
  return false;
}

#define ASSERT_SHOWS(script, text, ...)                                           \
  ASSERT_NE((script).WaitFor(text __VA_OPT__(, ) __VA_ARGS__), std::string::npos) \
      << "waiting for: " << (text) << "\noutput:\n"                               \
      << (script).all()

class P2PE2E : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }

  std::unique_ptr<Script> Start(const std::string& user, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"127.0.0.1", std::to_string(server_.port()), "--user", user,
                                     "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto s = std::make_unique<Script>(
        args, std::map<std::string, std::string>{{"HOME", home_.path()},
                                                 {"XDG_CONFIG_HOME", home_.path() + "/config"},
                                                 {"CAUCUS_PASSWORD", kPassword},
                                                 {"LC_ALL", "C.UTF-8"},
                                                 {"TZ", "UTC"}});
    const bool p2p = std::find(extra.begin(), extra.end(), "--no-p2p") == extra.end();
    if (s->WaitFor(p2p ? "\"event\":\"listening\"" : "logged in as") == std::string::npos) {
      ADD_FAILURE() << "not ready:\n" << s->all();
    }
    return s;
  }

  std::string NewUser(const std::string& prefix) {
    const std::string name = FreshName(prefix);
    Register(server_, name, kPassword);
    return name;
  }

  ServerProcess server_;
  TempDir home_;
};

TEST_F(P2PE2E, ThreeConcurrentFilesThroughALossyRelayAndOneBack) {
  const std::string alice = NewUser("alice"), bob = NewUser("bob");
  TempDir files, bob_dir, alice_dir;
  std::vector<std::string> data;
  for (int i = 0; i < 3; ++i) {
    data.push_back(WriteRandomFile(files.path() + "/part" + std::to_string(i) + ".bin", 5 << 20));
  }
  const std::string back = WriteRandomFile(files.path() + "/back.bin", 1 << 20);

  const uint16_t bob_port = FreePort();
  UdpRelay relay(bob_port, {0.10, 0.02, 0.05, std::chrono::microseconds(3000), 7});
  auto b =
      Start(bob, {"--p2p-port", std::to_string(bob_port), "--p2p-announce-udp",
                  std::to_string(relay.port()), "--accept-files", "--downloads", bob_dir.path()});
  auto a = Start(alice, {"--accept-files", "--downloads", alice_dir.path()});
  for (int i = 0; i < 3; ++i) {
    a->Type("sendfile " + bob + " " + files.path() + "/part" + std::to_string(i) + ".bin");
  }
  b->Type("UPD " + alice + " " + files.path() + "/back.bin");

  EXPECT_EQ(b->WaitCount("\"event\":\"received\"", 3, 180s), 3u) << b->all();
  EXPECT_EQ(a->WaitCount("\"event\":\"sent\"", 3, 30s), 3u) << a->all();
  EXPECT_EQ(a->WaitCount("\"event\":\"received\"", 1, 60s), 1u) << a->all();
  EXPECT_EQ(b->WaitCount("\"event\":\"sent\"", 1, 30s), 1u) << b->all();
  EXPECT_EQ(a->output().find("\"event\":\"failed\""), std::string::npos) << a->all();
  EXPECT_EQ(b->output().find("\"event\":\"failed\""), std::string::npos) << b->all();
  // Progress was shown on both sides while the transfers ran.
  EXPECT_NE(a->output().find("\"event\":\"progress\""), std::string::npos);
  EXPECT_NE(b->output().find("\"event\":\"progress\""), std::string::npos);
  // The relay really spoiled the path.
  EXPECT_GT(relay.dropped(), 100u);
  EXPECT_GT(relay.duplicated(), 10u);
  EXPECT_GT(relay.delayed(), 10u);

  for (int i = 0; i < 3; ++i) {
    const std::string path = bob_dir.path() + "/" + alice + "_part" + std::to_string(i) + ".bin";
    EXPECT_EQ(Sha256Hex(ReadFile(path)), Sha256Hex(data[i])) << path;
  }
  EXPECT_EQ(Sha256Hex(ReadFile(alice_dir.path() + "/" + bob + "_back.bin")), Sha256Hex(back));
  EXPECT_EQ(FilesIn(bob_dir.path()).size(), 3u);  // no temporary file left
  a->CloseInput();
  b->CloseInput();
  EXPECT_EQ(a->Wait(), 0) << a->all();
  EXPECT_EQ(b->Wait(), 0) << b->all();
}

TEST_F(P2PE2E, EmptyFileNeverOverwrites) {
  const std::string alice = NewUser("alice"), bob = NewUser("bob");
  TempDir files, bob_dir;
  WriteRandomFile(files.path() + "/empty.txt", 0);
  std::ofstream(bob_dir.path() + "/" + alice + "_empty.txt") << "already here";
  auto b = Start(bob, {"--accept-files", "--downloads", bob_dir.path()});
  auto a = Start(alice);
  a->Type("sendfile " + bob + " " + files.path() + "/empty.txt");
  ASSERT_SHOWS(*a, "\"event\":\"sent\"");
  ASSERT_SHOWS(*b, "\"event\":\"received\"");
  const std::string path = Field(b->output(), "\"event\":\"received\"", "path");
  EXPECT_EQ(path, bob_dir.path() + "/" + alice + "_empty-1.txt");
  EXPECT_EQ(ReadFile(path), "");
  EXPECT_EQ(ReadFile(bob_dir.path() + "/" + alice + "_empty.txt"), "already here");
  // A script that ends right after offering a file waits for it to go.
  b->CloseInput();
  EXPECT_EQ(b->Wait(), 0);
  a->CloseInput();
  EXPECT_EQ(a->Wait(), 0);
}

TEST_F(P2PE2E, DeclinedOfferAndScriptEndWaitsForTheAnswer) {
  const std::string alice = NewUser("alice"), bob = NewUser("bob");
  TempDir files, bob_dir;
  WriteRandomFile(files.path() + "/x.bin", 1000);
  auto b = Start(bob, {"--downloads", bob_dir.path()});
  auto a = Start(alice);
  a->Type("sendfile " + bob + " " + files.path() + "/x.bin");
  a->CloseInput();  // the script waits for the answer before it ends
  ASSERT_SHOWS(*b, "\"event\":\"invited\"");
  const std::string id = Field(b->output(), "\"event\":\"invited\"", "id");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Field(b->output(), "\"event\":\"invited\"", "file"), "x.bin");
  b->Type("decline " + id);
  ASSERT_SHOWS(*a, "\"event\":\"declined\"");
  EXPECT_EQ(a->Wait(), 0) << a->all();
  EXPECT_TRUE(FilesIn(bob_dir.path()).empty());
  b->CloseInput();
  EXPECT_EQ(b->Wait(), 0);
}

TEST_F(P2PE2E, UnansweredInvitationExpiresAfterAMinute) {
  const std::string alice = NewUser("alice"), bob = NewUser("bob");
  auto b = Start(bob);
  auto a = Start(alice);
  a->Type("talk " + bob);
  ASSERT_SHOWS(*b, "\"event\":\"invited\"");
  const auto asked = Clock::now();
  ASSERT_SHOWS(*a, "\"event\":\"declined\"", 0, 90s);
  EXPECT_GE(Clock::now() - asked, 55s);
  // Too late to accept now.
  const std::string id = Field(b->output(), "\"event\":\"invited\"", "id");
  b->Type("accept " + id);
  ASSERT_SHOWS(*b, "\"code\":\"NO_SUCH_INVITE\"");
}

TEST_F(P2PE2E, BlockedUserCannotInvite) {
  const std::string alice = NewUser("alice"), bob = NewUser("bob");
  TempDir files;
  WriteRandomFile(files.path() + "/x.bin", 10);
  auto b = Start(bob);
  b->Type("block " + alice);
  ASSERT_SHOWS(*b, "\"verb\":\"BLOCK\"");
  auto a = Start(alice, {"--keep-going"});
  a->Type("talk " + bob);
  ASSERT_SHOWS(*a, "\"code\":\"BLOCKED\"");
  const size_t first = a->output().find("\"code\":\"BLOCKED\"");
  a->Type("sendfile " + bob + " " + files.path() + "/x.bin");
  ASSERT_SHOWS(*a, "\"code\":\"BLOCKED\"", first + 1);
  a->CloseInput();
  EXPECT_EQ(a->Wait(), 1);
  b->Type("who");
  ASSERT_SHOWS(*b, "\"verb\":\"WHO\"");
  EXPECT_EQ(b->output().find("\"event\":\"invited\""), std::string::npos) << b->all();
}

TEST_F(P2PE2E, NoP2PRefusesEverything) {
  const std::string alice = NewUser("alice"), bob = NewUser("bob");
  auto b = Start(bob, {"--no-p2p", "--keep-going"});
  auto a = Start(alice);
  a->Type("talk " + bob);
  ASSERT_SHOWS(*a, "\"code\":\"NO_P2P\"");
  b->Type("talk " + alice);
  ASSERT_SHOWS(*b, "peer to peer is off (--no-p2p)");
  EXPECT_EQ(b->output().find("\"event\":\"listening\""), std::string::npos);
}

TEST_F(P2PE2E, PrivateChatBothWaysEndsWhenOneSideQuits) {
  const std::string alice = NewUser("alice"), bob = NewUser("bob");
  auto b = Start(bob);
  auto a = Start(alice);
  a->Type("startprivate " + bob);
  ASSERT_SHOWS(*b, "\"event\":\"invited\"");
  EXPECT_EQ(Field(b->output(), "\"event\":\"invited\"", "kind"), "chat");
  b->Type("accept " + Field(b->output(), "\"event\":\"invited\"", "id"));
  ASSERT_SHOWS(*a, "\"event\":\"chat_open\"");
  ASSERT_SHOWS(*b, "\"event\":\"chat_open\"");
  a->Type("p " + bob + " hello bob, straight to you");
  ASSERT_SHOWS(*b, "\"event\":\"private\"");
  EXPECT_EQ(Field(b->output(), "\"event\":\"private\"", "from"), alice);
  EXPECT_EQ(Field(b->output(), "\"event\":\"private\"", "message"), "hello bob, straight to you");
  b->Type("private " + alice + " hi alice");
  ASSERT_SHOWS(*a, "\"event\":\"private\"");
  EXPECT_EQ(Field(a->output(), "\"event\":\"private\"", "message"), "hi alice");
  // Private lines are not server messages.
  EXPECT_EQ(b->output().find("\"verb\":\"MSG\""), std::string::npos);

  b->CloseInput();
  EXPECT_EQ(b->Wait(), 0) << b->all();
  ASSERT_SHOWS(*a, "\"event\":\"chat_closed\"");
  a->Type("p " + bob + " are you there?");
  ASSERT_SHOWS(*a, "no private chat with " + bob);
}

TEST_F(P2PE2E, EndTalkClosesTheChatOnBothSides) {
  const std::string alice = NewUser("alice"), bob = NewUser("bob");
  auto b = Start(bob);
  auto a = Start(alice, {"--keep-going"});
  a->Type("talk " + bob);
  ASSERT_SHOWS(*b, "\"event\":\"invited\"");
  b->Type("accept " + Field(b->output(), "\"event\":\"invited\"", "id"));
  ASSERT_SHOWS(*a, "\"event\":\"chat_open\"");
  ASSERT_SHOWS(*b, "\"event\":\"chat_open\"");
  a->Type("stopprivate " + bob);
  ASSERT_SHOWS(*a, "\"event\":\"chat_closed\"");
  ASSERT_SHOWS(*b, "\"event\":\"chat_closed\"");
}

// The test plays a third client (carol) that invites bob through the
// server, so that it learns bob's address and a real ticket.
TEST_F(P2PE2E, OnlyAValidUnusedTicketGetsIn) {
  const std::string bob = NewUser("bob");
  TempDir bob_dir;
  auto b = Start(bob, {"--accept-files", "--downloads", bob_dir.path()});
  const uint16_t tcp = static_cast<uint16_t>(std::stoi(Field(b->output(), "listening", "tcp")));
  const uint16_t udp = static_cast<uint16_t>(std::stoi(Field(b->output(), "listening", "udp")));
  size_t refusals = 0;
  const auto refused = [&] {
    ++refusals;
    return b->WaitCount("\"event\":\"refused\"", refusals, 10s) == refusals;
  };

  // No ticket at all: closed at once, over TCP and over UDP.
  int fd = TcpConnect(tcp);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::send(fd, "CAUCUS-CHAT/1 NOTATICKET\n", 25, MSG_NOSIGNAL), 25);
  EXPECT_TRUE(ClosedByPeer(fd));
  ::close(fd);
  EXPECT_TRUE(refused());
  fd = TcpConnect(tcp);
  ASSERT_EQ(::send(fd, "hello there\n", 12, MSG_NOSIGNAL), 12);
  EXPECT_TRUE(ClosedByPeer(fd));
  ::close(fd);
  EXPECT_TRUE(refused());
  const int u = UdpSocket();
  const std::string zero_sha(64, '0');
  std::string reply = UdpExchange(u, udp, StartDatagram(1, "NOTATICKET", 0, zero_sha));
  ASSERT_EQ(reply.size(), 9u);
  EXPECT_EQ(reply[3], 5);  // CLOSE
  EXPECT_EQ(reply[8], 1);  // refused
  EXPECT_TRUE(refused());

  // A real chat ticket works once.
  auto carol = LoggedIn(server_, FreshName("carol"));
  auto r = carol->Cmd("INVITE " + bob + " chat");
  ASSERT_TRUE(r.ok()) << r.final;
  ASSERT_SHOWS(*b, "\"event\":\"invited\"");
  b->Type("accept " + r.params[2]);
  const auto accepted = Params(carol->WaitEvent("ACCEPTED"));
  ASSERT_EQ(accepted.size(), 7u);
  EXPECT_EQ(accepted[4], std::to_string(tcp));
  EXPECT_EQ(accepted[5], std::to_string(udp));
  const std::string ticket = accepted[6];
  EXPECT_GE(ticket.size(), 26u);  // at least 128 bits in base 32
  fd = TcpConnect(tcp);
  const std::string hello = "CAUCUS-CHAT/1 " + ticket + "\nhi from carol\n";
  ASSERT_EQ(::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(hello.size()));
  ASSERT_SHOWS(*b, "\"message\":\"hi from carol\"");
  EXPECT_FALSE(ClosedByPeer(fd, 300ms));
  const int again = TcpConnect(tcp);
  ASSERT_EQ(::send(again, hello.data(), hello.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(hello.size()));
  EXPECT_TRUE(ClosedByPeer(again));
  ::close(again);
  EXPECT_TRUE(refused());
  // ...and a chat ticket is no file ticket.
  reply = UdpExchange(u, udp, StartDatagram(2, ticket, 0, zero_sha));
  ASSERT_EQ(reply.size(), 9u);
  EXPECT_EQ(reply[8], 1);
  EXPECT_TRUE(refused());
  ::close(fd);

  // A real file ticket works once too.
  const std::string sha = Sha256Hex(std::string(3000, 'x'));
  r = carol->Cmd("INVITE " + bob + " file 3000 " + sha + " :x.bin");
  ASSERT_TRUE(r.ok()) << r.final;
  const auto file_accepted = Params(carol->WaitEvent("ACCEPTED"));
  ASSERT_EQ(file_accepted.size(), 7u);
  const std::string file_ticket = file_accepted[6];
  reply = UdpAsk(u, udp, StartDatagram(3, file_ticket, 3000, sha));
  ASSERT_GE(reply.size(), 17u);
  EXPECT_EQ(reply[3], 3);  // ACK: the transfer is admitted
  const int other = UdpSocket();
  reply = UdpExchange(other, udp, StartDatagram(4, file_ticket, 3000, sha));
  ASSERT_EQ(reply.size(), 9u);
  EXPECT_EQ(reply[3], 5);
  EXPECT_EQ(reply[8], 1);
  EXPECT_TRUE(refused());
  ::close(other);
  // Carol gives up on the admitted transfer (CLOSE, cancelled).
  const std::string close = {'\xCA', '\x55', 1, 5, 0, 0, 0, 3, 4};
  UdpExchange(u, udp, close, 200ms);
  ::close(u);
  // Nothing was written for any of it.
  b->CloseInput();
  b->Wait(40s);
  EXPECT_TRUE(FilesIn(bob_dir.path()).empty());
}

}  // namespace
}  // namespace caucus::test
