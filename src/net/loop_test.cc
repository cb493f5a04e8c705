#include "net/loop.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <memory>

namespace caucus::net {
namespace {

struct Counting : Flushable {
  int flushes = 0;
  void Flush() override { ++flushes; }
};

class LoopTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  Loop loop_{io_};
  std::shared_ptr<Counting> a_ = std::make_shared<Counting>();
  std::shared_ptr<Counting> b_ = std::make_shared<Counting>();
};

TEST_F(LoopTest, AFlushRunsOnceAfterTheHandlersAlreadyQueued) {
  int ran_before = 0;
  boost::asio::post(io_, [&] { ran_before = a_->flushes == 0 ? 1 : -1; });
  loop_.ScheduleFlush(a_);
  loop_.ScheduleFlush(b_);
  io_.poll();
  EXPECT_EQ(ran_before, 1);
  EXPECT_EQ(a_->flushes, 1);
  EXPECT_EQ(b_->flushes, 1);
}

}  // namespace
}  // namespace caucus::net
