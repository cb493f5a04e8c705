#include "bench/send_window.h"

#include <gtest/gtest.h>

namespace caucus::bench {
namespace {

TEST(SendWindowTest, SenderStopsAtTheWindow) {
  SendWindow w(1, 10, 3);
  for (int k = 0; k < 3; ++k) {
    ASSERT_TRUE(w.CanSend(0));
    EXPECT_EQ(w.Sent(0), k);
  }
  EXPECT_FALSE(w.CanSend(0));
  EXPECT_TRUE(w.Received(0, 0));
  EXPECT_TRUE(w.CanSend(0));  // message 3 needs message 0 received
  EXPECT_EQ(w.Sent(0), 3);
  EXPECT_FALSE(w.CanSend(0));
}

TEST(SendWindowTest, SendersAreIndependent) {
  SendWindow w(2, 5, 1);
  w.Sent(0);
  EXPECT_FALSE(w.CanSend(0));
  EXPECT_TRUE(w.CanSend(1));
  EXPECT_FALSE(w.Received(1, 0));  // sender 1 never sent it
  EXPECT_TRUE(w.Received(0, 0));
  EXPECT_TRUE(w.CanSend(0));
}

TEST(SendWindowTest, StopsAfterTheLastMessage) {
  SendWindow w(1, 2, 8);
  w.Sent(0);
  w.Sent(0);
  EXPECT_FALSE(w.CanSend(0));
  EXPECT_FALSE(w.AllReceived());
  EXPECT_TRUE(w.Received(0, 1));
  EXPECT_TRUE(w.Received(0, 0));
  EXPECT_TRUE(w.AllReceived());
  EXPECT_FALSE(w.CanSend(0));
}

TEST(SendWindowTest, RejectsDuplicatesAndCountsReordering) {
  SendWindow w(1, 4, 4);
  for (int k = 0; k < 4; ++k) w.Sent(0);
  EXPECT_TRUE(w.Received(0, 2));
  EXPECT_FALSE(w.Received(0, 2));
  EXPECT_TRUE(w.Received(0, 0));
  EXPECT_FALSE(w.Received(0, 0));
  EXPECT_TRUE(w.Received(0, 1));
  EXPECT_FALSE(w.Received(0, 2));  // absorbed once 0 and 1 arrived
  EXPECT_TRUE(w.Received(0, 3));
  EXPECT_EQ(w.received(0), 4);
  EXPECT_EQ(w.out_of_order(), 1);
  EXPECT_TRUE(w.AllReceived());
}

TEST(SendWindowTest, RejectsUnknownSender) {
  SendWindow w(2, 1, 1);
  EXPECT_FALSE(w.Received(-1, 0));
  EXPECT_FALSE(w.Received(2, 0));
}

TEST(SendWindowTest, NoMessagesIsComplete) {
  SendWindow w(3, 0, 1);
  EXPECT_FALSE(w.CanSend(0));
  EXPECT_TRUE(w.AllReceived());
}

}  // namespace
}  // namespace caucus::bench
