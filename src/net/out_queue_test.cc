#include "net/out_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace caucus::net {
namespace {

using protocol::SharedLine;

std::string Gathered(const OutQueue& q, int max = 64) {
  iovec iov[64];
  const int n = q.Gather(iov, max);
  std::string out;
  for (int i = 0; i < n; ++i) out.append(static_cast<char*>(iov[i].iov_base), iov[i].iov_len);
  return out;
}

TEST(OutQueueTest, GathersInOrderAndConsumesPartially) {
  OutQueue q;
  EXPECT_TRUE(q.empty());
  q.Push(SharedLine::Copy("one\n"));
  q.Push(SharedLine::Copy("two\n"));
  q.Push(SharedLine::Copy("three\n"));
  EXPECT_EQ(q.bytes(), 14u);
  EXPECT_EQ(Gathered(q), "one\ntwo\nthree\n");
  q.Consume(6);
  EXPECT_EQ(Gathered(q), "o\nthree\n");
  EXPECT_EQ(q.bytes(), 8u);
  q.Consume(8);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.bytes(), 0u);
}

TEST(OutQueueTest, SharesBytesInsteadOfCopying) {
  const SharedLine line = SharedLine::Copy("MSG 1 broadcast\n");
  OutQueue a, b;
  a.Push(line);
  b.Push(line);
  EXPECT_EQ(line.use_count(), 3u);
  a.Consume(line.size());
  EXPECT_EQ(line.use_count(), 2u);
}

TEST(OutQueueTest, GrowsAcrossTheRingEdge) {
  OutQueue q;
  std::string want;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 7; ++i) {
      const std::string s = std::to_string(round) + ":" + std::to_string(i) + "\n";
      q.Push(SharedLine::Copy(s));
      want += s;
    }
    q.Consume(4);  // "r:0\n"
    want.erase(0, 4);
  }
  EXPECT_EQ(Gathered(q), want);
  EXPECT_EQ(q.bytes(), want.size());
}

TEST(OutQueueTest, RefillsAfterDrainingAndWrapping) {
  // Drained queues give their ring back and start the next one at the size
  // the last burst needed: the order must survive every such restart.
  OutQueue q;
  for (int round = 0; round < 4; ++round) {
    std::string expected;
    const int lines = 3 + round * 25;  // past the kept capacity in the last round
    for (int i = 0; i < lines; ++i) {
      const std::string line = std::to_string(round) + ":" + std::to_string(i) + "\n";
      q.Push(SharedLine::Copy(line));
      expected += line;
      if (i % 7 == 6) {  // consume a little as we go, so the ring wraps
        const std::string head = Gathered(q).substr(0, 4);
        q.Consume(head.size());
        expected.erase(0, head.size());
      }
    }
    std::string all;
    while (!q.empty()) {
      const std::string part = Gathered(q);
      all += part;
      q.Consume(part.size());
    }
    EXPECT_EQ(all, expected);
    EXPECT_EQ(q.bytes(), 0u);
  }
}

TEST(OutQueueTest, DropUnstartedKeepsAPartlyWrittenLine) {
  OutQueue q;
  q.Push(SharedLine::Copy("first\n"));
  q.Push(SharedLine::Copy("second\n"));
  q.Consume(2);
  EXPECT_FALSE(q.DropUnstarted());
  EXPECT_EQ(Gathered(q), "rst\n");
  q.Consume(4);
  q.Push(SharedLine::Copy("x\n"));
  EXPECT_TRUE(q.DropUnstarted());
}

TEST(OutQueueTest, GatherStopsAtMax) {
  OutQueue q;
  for (int i = 0; i < 10; ++i) q.Push(SharedLine::Copy("x"));
  EXPECT_EQ(Gathered(q, 3), "xxx");
}

}  // namespace
}  // namespace caucus::net
