// LoopThread: the rule "only the event loop thread touches sessions and the
// domain", checked in debug builds, as muduo's EventLoop::assertInLoopThread
// checks its own.
//
//   CAUCUS_ASSERT_IN_LOOP(world.loop_thread);
//
// Until Bind() (start-up, tests that drive the domain from one thread) any
// thread passes.
//
// Thread-safety: any thread.
#pragma once

#include <atomic>
#include <cassert>
#include <thread>

namespace caucus::core {

class LoopThread {
 public:
  // From now on only the calling thread may touch what this guards.
  void Bind() { owner_.store(std::this_thread::get_id()); }
  bool IsCurrent() const {
    const std::thread::id owner = owner_.load();
    return owner == std::thread::id() || owner == std::this_thread::get_id();
  }

 private:
  std::atomic<std::thread::id> owner_{};
};

}  // namespace caucus::core

#define CAUCUS_ASSERT_IN_LOOP(loop_thread)                      \
  assert((loop_thread).IsCurrent() &&                           \
         "only the event loop thread touches sessions and the " \
         "domain")
