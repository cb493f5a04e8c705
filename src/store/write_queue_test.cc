#include "store/write_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace caucus::store {
namespace {

struct TestJob {
  int id = 0;
  bool waited_for = true;
  uint64_t seq = 0;
};

std::vector<int> Ids(const std::vector<TestJob>& batch) {
  std::vector<int> ids;
  for (const auto& job : batch) ids.push_back(job.id);
  return ids;
}

class WriteQueueTest : public ::testing::Test {
 protected:
  // Takes the next group with a lock of its own, as an engine's writer does.
  std::vector<TestJob> Take(bool* background) {
    std::unique_lock lock(mu_);
    std::vector<TestJob> batch;
    if (!queue_.Take(lock, cv_, stopping_, &batch, background)) return {};
    queue_.Done();
    return batch;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  WriteQueue<TestJob> queue_{3, std::chrono::milliseconds(1)};
};

TEST_F(WriteQueueTest, WritesAreTakenInOrderInGroupsOfAtMostTheLimit) {
  for (int i = 1; i <= 5; ++i) EXPECT_TRUE(queue_.Push({i}));
  bool background = true;
  EXPECT_EQ(Ids(Take(&background)), (std::vector<int>{1, 2, 3}));
  EXPECT_FALSE(background);
  EXPECT_EQ(Ids(Take(&background)), (std::vector<int>{4, 5}));
  EXPECT_TRUE(queue_.idle());
  EXPECT_TRUE(Take(&background).empty());
}

TEST_F(WriteQueueTest, ABackgroundJobRunsAloneInItsPlaceInTheOrder) {
  queue_.Push({1});
  queue_.PushBackground({2});
  queue_.Push({3});
  queue_.Push({4});
  bool background = false;
  EXPECT_EQ(Ids(Take(&background)), (std::vector<int>{1}));  // only what came before it
  EXPECT_FALSE(background);
  EXPECT_EQ(Ids(Take(&background)), (std::vector<int>{2}));
  EXPECT_TRUE(background);
  EXPECT_EQ(Ids(Take(&background)), (std::vector<int>{3, 4}));
  EXPECT_FALSE(background);
}

TEST_F(WriteQueueTest, UnwaitedWritesLingerForCompanyThenGoTogether) {
  queue_.Push({1, false});
  queue_.Push({2, false});
  bool background = true;
  // Nobody waits: Take() waits out the linger, then takes both.
  EXPECT_EQ(Ids(Take(&background)), (std::vector<int>{1, 2}));
}

TEST_F(WriteQueueTest, WhileTheWriterLingersOnlyWhatEndsTheWaitWakesIt) {
  std::vector<TestJob> batch;
  bool background = false;
  std::atomic<bool> taken{false};
  WriteQueue<TestJob> slow(100000, std::chrono::seconds(30));
  slow.Push({1, false});
  std::thread writer([&] {
    std::unique_lock lock(mu_);
    slow.Take(lock, cv_, stopping_, &batch, &background);
    slow.Done();
    taken = true;
  });
  // An unwaited write does not wake a lingering writer; a waited one does.
  bool woke = true;
  for (int i = 0; i < 5000 && woke; ++i) {
    {
      std::lock_guard lock(mu_);
      woke = slow.Push({2, false});  // false once the writer lingers
    }
    if (woke) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_FALSE(woke);
  {
    std::lock_guard lock(mu_);
    EXPECT_TRUE(slow.Push({3, true}));
  }
  cv_.notify_one();
  writer.join();  // long before the 30 s linger
  EXPECT_TRUE(taken);
  ASSERT_GE(batch.size(), 2u);
  EXPECT_EQ(batch.back().id, 3);
}

}  // namespace
}  // namespace caucus::store
