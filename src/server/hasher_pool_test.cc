#include "server/hasher_pool.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <thread>

#include "core/secrets.h"

namespace caucus::server {
namespace {

// Many hashes and verifications at once on several workers: every
// completion runs once, on the loop's thread, with the right answer. Also
// what ThreadSanitizer checks the pool with (scripts/test).
TEST(HasherPoolTest, ConcurrentJobsCompleteOnTheLoopThread) {
  ASSERT_TRUE(core::InitSecrets());
  boost::asio::io_context loop(1);
  auto work = boost::asio::make_work_guard(loop);
  constexpr int kJobs = 6;
  std::vector<std::optional<std::string>> hashes(kJobs);
  std::vector<int> matches(kJobs, -1), mismatches(kJobs, -1);
  int done = 0;
  std::thread::id loop_thread;
  bool all_on_loop = true;
  {
    HasherPool pool(loop, 3, core::HashCost::kInteractive);
    // Each job ends in three completions: its hash and two verifications.
    auto finish = [&] {
      all_on_loop = all_on_loop && std::this_thread::get_id() == loop_thread;
      if (++done == 3 * kJobs) work.reset();
    };
    boost::asio::post(loop, [&] {
      loop_thread = std::this_thread::get_id();
      for (int i = 0; i < kJobs; ++i) {
        const std::string password = "password-" + std::to_string(i);
        pool.Hash(password, [&, i, password](std::optional<std::string> h) {
          hashes[i] = std::move(h);
          if (!hashes[i]) done += 2;  // nothing to verify
          if (hashes[i]) {
            pool.Verify(*hashes[i], password, [&, i](core::Verification v) {
              matches[i] = v.match;
              finish();
            });
            pool.Verify(*hashes[i], "wrong", [&, i](core::Verification v) {
              mismatches[i] = v.match;
              finish();
            });
          }
          finish();
        });
      }
    });
    loop.run();
  }
  EXPECT_TRUE(all_on_loop);
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_TRUE(hashes[i].has_value()) << i;
    EXPECT_EQ(matches[i], 1) << i;
    EXPECT_EQ(mismatches[i], 0) << i;
  }
}

// The threads of this process, from /proc.
size_t ThreadCount() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/self/task")) {
    ++n;
  }
  return n;
}

// Destroying the pool with jobs queued joins its threads, and what the
// loop runs afterwards is only completions of jobs that finished, each with
// a real hash: none of the jobs still queued answers.
TEST(HasherPoolTest, DestroyedWithJobsQueued) {
  ASSERT_TRUE(core::InitSecrets());
  boost::asio::io_context loop(1);
  const size_t threads_before = ThreadCount();
  int answered = 0, empty = 0;
  {
    HasherPool pool(loop, 2, core::HashCost::kInteractive);
    EXPECT_EQ(ThreadCount(), threads_before + 2);
    for (int i = 0; i < 64; ++i) {
      pool.Hash("password", [&](std::optional<std::string> h) {
        ++answered;
        if (!h || h->empty()) ++empty;
      });
    }
  }
  EXPECT_EQ(ThreadCount(), threads_before) << "the pool's threads outlived it";
  loop.run();
  EXPECT_LT(answered, 64) << "the queued jobs ran after the pool was destroyed";
  EXPECT_EQ(empty, 0);
}

}  // namespace
}  // namespace caucus::server
