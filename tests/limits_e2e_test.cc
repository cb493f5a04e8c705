// End to end: every limit trips with its ERR or BYE and a log line while
// the server keeps serving other clients; connections that never log in are
// closed after the handshake timeout; and a flood of 1,000 connections
// sending garbage does not disturb 50 clients chatting meanwhile.
//
// Clients come from different loopback addresses (127.x.y.z all reach
// 127.0.0.1 on Linux) so that per-address limits apply to one of them only.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "harness.h"

namespace caucus::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
const std::string kPassword = "password-123";

// Registers and logs in `name` from `source`.
std::unique_ptr<Client> LoggedInFrom(const ServerProcess& server, const std::string& source,
                                     const std::string& name) {
  auto c = std::make_unique<Client>("127.0.0.1", server.port(), source);
  auto r = c->Cmd("REGISTER " + name + " " + kPassword);
  if (!r.ok()) throw std::runtime_error("REGISTER: " + r.final);
  r = c->Cmd("LOGIN " + name + " " + kPassword);
  if (!r.ok()) throw std::runtime_error("LOGIN: " + r.final);
  return c;
}

// The server answers a client from an address no limit has touched.
void StillServes(const ServerProcess& server, const std::string& source) {
  auto c = LoggedInFrom(server, source, FreshName("fine"));
  EXPECT_TRUE(c->Cmd("PING").ok());
}

// Open file descriptors of the server.
size_t OpenFiles(pid_t pid) {
  size_t n = 0;
  for ([[maybe_unused]] auto& e :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    ++n;
  }
  return n;
}

TEST(LimitsE2E, ConnectionsPerAddress) {
  ServerProcess server({"--max-connections-per-ip", "3"});
  std::vector<std::unique_ptr<Client>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Client>("127.0.0.1", server.port(), "127.0.1.1"));
    ASSERT_EQ(held.back()->hello().rfind("HELLO", 0), 0u);
  }
  Client fourth("127.0.0.1", server.port(), "127.0.1.1");
  EXPECT_EQ(fourth.hello().rfind("BYE TOO_MANY_CONNECTIONS", 0), 0u) << fourth.hello();
  EXPECT_TRUE(LogShows(server, "refused a connection from 127.0.1.1: --max-connections-per-ip"));
  StillServes(server, "127.0.1.2");
  // Connections that vanish leave nothing behind: the address gets its
  // three connections back once the server has seen them go.
  held.clear();
  const auto deadline = Clock::now() + 10s;
  int got = 0;
  while (got < 3 && Clock::now() < deadline) {
    std::vector<std::unique_ptr<Client>> again;
    got = 0;
    for (int i = 0; i < 3; ++i) {
      again.push_back(std::make_unique<Client>("127.0.0.1", server.port(), "127.0.1.1"));
      if (again.back()->hello().rfind("HELLO", 0) == 0) ++got;
    }
    if (got < 3) std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(got, 3);
}

TEST(LimitsE2E, NewConnectionsPerAddressPerMinute) {
  ServerProcess server({"--new-connections-per-minute", "5", "--max-connections-per-ip", "0"});
  for (int i = 0; i < 5; ++i) {
    Client c("127.0.0.1", server.port(), "127.0.2.1");
    ASSERT_EQ(c.hello().rfind("HELLO", 0), 0u) << i << ": " << c.hello();
  }
  Client sixth("127.0.0.1", server.port(), "127.0.2.1");
  EXPECT_EQ(sixth.hello().rfind("BYE RATE_LIMITED", 0), 0u) << sixth.hello();
  EXPECT_TRUE(LogShows(server, "too many new connections this minute"));
  StillServes(server, "127.0.2.2");
}

TEST(LimitsE2E, CommandsPerSecondPerSession) {
  ServerProcess server({"--commands-per-second", "1", "--command-burst", "5"});
  auto fast = LoggedInFrom(server, "127.0.3.1", FreshName("fast"));
  // REGISTER and LOGIN took two tokens; a burst of 20 more runs dry.
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += "PING " + std::to_string(i) + "\n";
  fast->SendRaw(burst);
  int ok = 0, limited = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = fast->ReadReply();
    if (r.ok()) ++ok;
    if (r.code() == "RATE_LIMITED") ++limited;
  }
  EXPECT_GT(limited, 0);
  EXPECT_GT(ok, 0);
  EXPECT_LT(ok, 20);
  EXPECT_TRUE(LogShows(server, "sends commands too fast"));
  StillServes(server, "127.0.3.2");
}

TEST(LimitsE2E, RegistrationsPerAddressPerHour) {
  ServerProcess server({"--registrations-per-hour", "3"});
  Client c("127.0.0.1", server.port(), "127.0.4.1");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Cmd("REGISTER " + FreshName("reg") + " " + kPassword).ok());
  }
  auto r = c.Cmd("REGISTER " + FreshName("reg") + " " + kPassword);
  EXPECT_EQ(r.code(), "RATE_LIMITED") << r.final;
  EXPECT_TRUE(LogShows(server, "too many registrations from this address"));
  StillServes(server, "127.0.4.2");
}

TEST(LimitsE2E, FailedLoginsPerAddressAcrossAccounts) {
  ServerProcess server({"--failed-logins-per-minute", "4", "--max-attempts", "100"});
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) {
    names.push_back(FreshName("spray"));
    Register(server, names.back());
  }
  // Password spraying: one wrong guess per account, round the accounts.
  Client sprayer("127.0.0.1", server.port(), "127.0.5.1");
  int wrong = 0;
  for (int i = 0; i < 4; ++i) {
    auto r = sprayer.Cmd("LOGIN " + names[i % 3] + " wrong-guess-" + std::to_string(i));
    if (r.code() == "AUTH_FAILED") ++wrong;
  }
  EXPECT_EQ(wrong, 4);
  // Now even the right password is refused from this address...
  auto r = sprayer.Cmd("LOGIN " + names[0] + " " + kPassword);
  EXPECT_EQ(r.code(), "RATE_LIMITED") << r.final;
  EXPECT_TRUE(LogShows(server, "too many wrong passwords from this address"));
  // ...but not from another one, and the accounts are not locked.
  Client owner("127.0.0.1", server.port(), "127.0.5.2");
  EXPECT_TRUE(owner.Cmd("LOGIN " + names[0] + " " + kPassword).ok());
}

TEST(LimitsE2E, TotalSessions) {
  ServerProcess server({"--max-sessions", "4"});
  std::vector<std::unique_ptr<Client>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(
        std::make_unique<Client>("127.0.0.1", server.port(), "127.0.6." + std::to_string(i + 1)));
  }
  auto last = LoggedInFrom(server, "127.0.6.9", FreshName("last"));
  Client over("127.0.0.1", server.port(), "127.0.6.10");
  EXPECT_EQ(over.hello().rfind("BYE TOO_MANY_CONNECTIONS", 0), 0u) << over.hello();
  EXPECT_TRUE(LogShows(server, "--max-sessions reached"));
  // Those already in are served.
  EXPECT_TRUE(last->Cmd("PING").ok());
  EXPECT_TRUE(last->Cmd("WHO").ok());
}

TEST(HandshakeTimeoutE2E, AConnectionThatNeverLogsInIsClosed) {
  ServerProcess server({"--handshake-timeout", "1"});
  // Opened first, so its handshake deadline passes first: logging in
  // takes it off the clock. On a busy machine hashing the password may
  // take longer than the timeout: then it tries again on a new connection.
  const std::string name = FreshName("member");
  std::unique_ptr<Client> member;
  bool registered = false;
  for (int attempt = 0; attempt < 30 && !member; ++attempt) {
    auto c = std::make_unique<Client>("127.0.0.1", server.port());
    try {
      if (!registered) {
        auto r = c->Cmd("REGISTER " + name + " " + kPassword);
        registered = r.ok() || r.code() == "NAME_TAKEN";
        if (!registered) FAIL() << r.final;
      }
      if (c->Cmd("LOGIN " + name + " " + kPassword).ok()) member = std::move(c);
    } catch (const std::runtime_error&) {
      // Closed by the handshake timeout before the answer.
    }
  }
  ASSERT_TRUE(member);
  Client idle("127.0.0.1", server.port());
  ASSERT_EQ(idle.hello().rfind("HELLO", 0), 0u);
  auto lines = idle.WaitClosed(20s);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("BYE HANDSHAKE_TIMEOUT", 0), 0u) << lines.back();
  EXPECT_TRUE(member->Cmd("PING").ok());
}

// One connection of the flood: connect, send something hostile, go.
void Garbage(uint16_t port, const std::string& source, std::mt19937& rng) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in s{};
  s.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &s.sin_addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&s), sizeof s);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return;
  }
  std::string bytes;
  switch (rng() % 6) {
    case 0:  // random bytes, NULs and invalid UTF-8 included
      for (int i = 0; i < 2000; ++i) bytes += static_cast<char>(rng());
      break;
    case 1:  // a line far longer than --max-line, no LF
      bytes.assign(50000, 'A');
      break;
    case 2:  // many short bogus commands
      for (int i = 0; i < 200; ++i) bytes += "\x01\xff LOGIN :" + std::to_string(rng()) + "\r\n";
      break;
    case 3:  // verbs with wrong arguments, before any login
      bytes = "SEND\nVOTE x y z\nPOLLNEW a b c\nREGISTER\nLOGIN a\nRESUME\n@@@ \n:::\n";
      break;
    case 4:  // half a line, then gone
      bytes = "LOGIN someone passw";
      break;
    default:  // nothing at all
      break;
  }
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (rng() % 2) {
    linger l{1, 0};  // vanish with a reset
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }
  ::close(fd);
}

TEST(FloodE2E, AThousandGarbageConnectionsWhileFiftyClientsChatLosingNothing) {
  ServerProcess server;
  constexpr int kChatters = 50, kMessages = 20, kGarbage = 1000, kFloodThreads = 4;
  std::vector<std::string> names;
  std::vector<std::unique_ptr<Client>> chatters;
  for (int i = 0; i < kChatters; ++i) {
    names.push_back(FreshName("chat"));
    chatters.push_back(LoggedInFrom(server, "127.0.7." + std::to_string(i + 1), names.back()));
  }
  const size_t files_before = OpenFiles(server.pid());

  std::atomic<int> garbage_sent{0};
  std::vector<std::thread> flood;
  for (int t = 0; t < kFloodThreads; ++t) {
    flood.emplace_back([&, t] {
      std::mt19937 rng(1234 + t);
      for (int i = t; i < kGarbage; i += kFloodThreads) {
        // 250 addresses, 4 connections each: under the per-address limits.
        Garbage(server.port(), "127.8.0." + std::to_string(i % 250 + 1), rng);
        ++garbage_sent;
      }
    });
  }
  // Each chatter sends kMessages to the next one round the ring.
  std::vector<std::vector<std::string>> sent(kChatters);
  std::vector<std::string> failures(kChatters);
  std::vector<std::thread> talk;
  for (int i = 0; i < kChatters; ++i) {
    talk.emplace_back([&, i] {
      try {
        const std::string& to = names[(i + 1) % kChatters];
        for (int m = 0; m < kMessages; ++m) {
          const std::string text = "m" + std::to_string(m) + " from " + names[i];
          auto r = chatters[i]->Cmd("SEND " + to + " :" + text);
          if (!r.ok()) throw std::runtime_error(r.final);
          sent[i].push_back(text);
        }
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  }
  for (auto& t : talk) t.join();
  for (auto& t : flood) t.join();
  EXPECT_EQ(garbage_sent.load(), kGarbage);

  for (int i = 0; i < kChatters; ++i) {
    EXPECT_EQ(failures[i], "") << names[i];
    EXPECT_EQ(sent[i].size(), static_cast<size_t>(kMessages)) << names[i];
  }
  // Every message arrives, once, in order.
  for (int i = 0; i < kChatters; ++i) {
    const int from = (i + kChatters - 1) % kChatters;
    std::vector<std::string> got;
    try {
      while (got.size() < sent[from].size()) {
        auto p = Params(chatters[i]->WaitEvent("MSG "));
        ASSERT_EQ(p[3], names[from]);
        got.push_back(p.back());
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << names[i] << ": " << e.what();
    }
    EXPECT_EQ(got, sent[from]) << names[i];
    EXPECT_FALSE(chatters[i]->EventArrives("MSG ", 50ms)) << names[i];
  }
  // The server is still fine, and the garbage left nothing open behind it.
  StillServes(server, "127.0.9.1");
  const auto deadline = Clock::now() + 20s;
  while (OpenFiles(server.pid()) > files_before + 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_LE(OpenFiles(server.pid()), files_before + 2);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace caucus::test
