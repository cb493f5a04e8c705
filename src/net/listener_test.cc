#include "net/listener.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <vector>

namespace caucus::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

int Option(int fd, int level, int name) {
  int value = -1;
  socklen_t length = sizeof value;
  EXPECT_EQ(::getsockopt(fd, level, name, &value, &length), 0);
  return value;
}

// A blocking socket connected (or not) to 127.0.0.1:port; `*ok` says which.
int Connect(uint16_t port, bool* ok) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  *ok = ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0;
  return fd;
}

int ConnectTo(uint16_t port) {
  bool ok = false;
  const int fd = Connect(port, &ok);
  EXPECT_TRUE(ok);
  return fd;
}

// A listener on 127.0.0.1 (a free port) that keeps what it accepts.
struct Accepting {
  asio::io_context io;
  std::vector<Accepted> got;
  Listener listener{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0),
                    [this](const Accepted& a) { got.push_back(a); }};
  ~Accepting() {
    for (const auto& a : got) ::close(a.fd);
  }
  // Runs the loop until `n` connections are taken (or a second passes).
  void RunUntil(size_t n) {
    for (int i = 0; i < 100 && got.size() < n; ++i) io.run_for(std::chrono::milliseconds(10));
  }
};

TEST(ListenerTest, AcceptedSocketsAreTunedNonBlockingAndCloseOnExec) {
  Accepting accepts;
  Listener& listener = accepts.listener;
  listener.Start();
  const int client = ConnectTo(listener.port());
  accepts.RunUntil(1);
  ASSERT_EQ(accepts.got.size(), 1u);
  const Accepted& a = accepts.got[0];

  // Inherited from the listening socket: no Nagle delay, keepalive that
  // finds a vanished peer within about two minutes.
  EXPECT_EQ(Option(a.fd, IPPROTO_TCP, TCP_NODELAY), 1);
  EXPECT_EQ(Option(a.fd, SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_EQ(Option(a.fd, IPPROTO_TCP, TCP_KEEPIDLE), 60);
  EXPECT_EQ(Option(a.fd, IPPROTO_TCP, TCP_KEEPINTVL), 10);
  EXPECT_EQ(Option(a.fd, IPPROTO_TCP, TCP_KEEPCNT), 6);
  EXPECT_NE(::fcntl(a.fd, F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(::fcntl(a.fd, F_GETFD) & FD_CLOEXEC, 0);

  // The remote endpoint is the client's own address.
  sockaddr_in local{};
  socklen_t length = sizeof local;
  ASSERT_EQ(::getsockname(client, reinterpret_cast<sockaddr*>(&local), &length), 0);
  EXPECT_EQ(a.remote.address().to_string(), "127.0.0.1");
  EXPECT_EQ(a.remote.port(), ntohs(local.sin_port));
  ::close(client);
}

TEST(ListenerTest, TakesMoreWaitingConnectionsThanOneBatch) {
  // 150 connections wait in the backlog before the loop runs: the listener
  // takes 64 per turn and must come back for the rest without a new event.
  Accepting accepts;
  Listener& listener = accepts.listener;
  std::vector<int> clients;
  for (int i = 0; i < 150; ++i) clients.push_back(ConnectTo(listener.port()));
  listener.Start();
  accepts.RunUntil(clients.size());
  EXPECT_EQ(accepts.got.size(), clients.size());
  for (const int c : clients) ::close(c);
}

TEST(ListenerTest, StopsAccepting) {
  Accepting accepts;
  Listener& listener = accepts.listener;
  listener.Start();
  const uint16_t port = listener.port();
  listener.Stop();
  accepts.io.run_for(std::chrono::milliseconds(20));
  bool ok = true;
  ::close(Connect(port, &ok));
  EXPECT_FALSE(ok) << "the port still takes connections";
  EXPECT_TRUE(accepts.got.empty());
}

}  // namespace
}  // namespace caucus::net
