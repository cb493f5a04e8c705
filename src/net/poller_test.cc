#include "net/poller.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <vector>

namespace caucus::net {
namespace {

struct Pair {
  int ours = -1;
  int theirs = -1;
  Pair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    ours = fds[0];
    theirs = fds[1];
  }
  Pair(const Pair&) = delete;
  Pair& operator=(const Pair&) = delete;
  ~Pair() {
    ::close(ours);
    ::close(theirs);
  }
};

struct Recorder : Pollable {
  std::vector<uint32_t> events;
  void OnReady(uint32_t e) override { events.push_back(e); }
  int inputs() const {
    int n = 0;
    for (const auto e : events) n += (e & EPOLLIN) != 0;
    return n;
  }
};

// One socket pair watched by a poller, its first (registration) report
// already taken.
struct Watched {
  boost::asio::io_context io;
  Poller poller{io};
  Pair p;
  Recorder r;
  Watched() {
    EXPECT_TRUE(poller.Add(p.ours, &r));
    io.poll();
    r.events.clear();
  }
};

void Drain(int fd) {
  char buf[256];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
}

TEST(PollerTest, ReportsWhatIsPendingWhenAdded) {
  boost::asio::io_context io;
  Poller poller(io);
  Pair p;
  ASSERT_EQ(::write(p.theirs, "x", 1), 1);
  Recorder r;
  ASSERT_TRUE(poller.Add(p.ours, &r));
  io.poll();
  EXPECT_EQ(r.inputs(), 1);
  // A fresh socket is writable from the start.
  ASSERT_FALSE(r.events.empty());
  EXPECT_NE(r.events.front() & EPOLLOUT, 0u);
}

TEST(PollerTest, ReportsEachNewArrivalOnceEdgeTriggered) {
  Watched w;
  auto& [io, poller, p, r] = w;
  io.poll();
  EXPECT_TRUE(r.events.empty()) << "nothing new arrived";

  ASSERT_EQ(::write(p.theirs, "a", 1), 1);
  io.poll();
  EXPECT_EQ(r.inputs(), 1);
  // Not read: edge-triggered, so no second report for the same byte.
  io.poll();
  EXPECT_EQ(r.inputs(), 1);
  // A new arrival is a new edge, read or not.
  ASSERT_EQ(::write(p.theirs, "b", 1), 1);
  io.poll();
  EXPECT_EQ(r.inputs(), 2);
  Drain(p.ours);
}

TEST(PollerTest, ReportsThePeersCloseAsInput) {
  Watched w;
  auto& [io, poller, p, r] = w;
  ::shutdown(p.theirs, SHUT_WR);
  io.poll();
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_NE(r.events[0] & (EPOLLIN | EPOLLRDHUP), 0u);
}

TEST(PollerTest, DeliversMoreReadySocketsThanOneBatch) {
  // More sockets ready at once than one batch (256) takes: the rest come
  // in later turns and none is lost. (300 pairs stay under a 1,024-file
  // limit.)
  boost::asio::io_context io;
  Poller poller(io);
  constexpr int kSockets = 300;
  std::vector<Pair> pairs(kSockets);
  std::vector<Recorder> recorders(kSockets);
  for (int i = 0; i < kSockets; ++i) ASSERT_TRUE(poller.Add(pairs[i].ours, &recorders[i]));
  io.poll();
  for (auto& r : recorders) r.events.clear();

  for (auto& p : pairs) ASSERT_EQ(::write(p.theirs, "x", 1), 1);
  for (int turn = 0; turn < 10; ++turn) io.poll();
  int reported = 0;
  for (const auto& r : recorders) reported += r.inputs() == 1;
  EXPECT_EQ(reported, kSockets);
}

TEST(PollerTest, RemovedSocketsAreNotReported) {
  Watched w;
  auto& [io, poller, p, r] = w;
  poller.Remove(p.ours);
  ASSERT_EQ(::write(p.theirs, "x", 1), 1);
  io.poll();
  EXPECT_TRUE(r.events.empty());
}

TEST(PollerTest, RefusesADescriptorThatCannotBePolled) {
  boost::asio::io_context io;
  Poller poller(io);
  Recorder r;
  EXPECT_FALSE(poller.Add(-1, &r));
}

}  // namespace
}  // namespace caucus::net
