#include "bench/fleet.h"

#include <atomic>
#include <thread>

namespace caucus::bench {

Fleet::Fleet(int threads) {
  for (int i = 0; i < threads; ++i) loops_.push_back(std::make_unique<EventLoop>());
}

bool Fleet::ok() const {
  for (const auto& l : loops_) {
    if (!l->ok()) return false;
  }
  return true;
}

bool Fleet::Run(const std::function<bool(int)>& done, int64_t deadline_ns) {
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  for (int i = 1; i < size(); ++i) {
    threads.emplace_back([&, i] {
      if (loops_[i]->RunUntil([&] { return done(i); }, deadline_ns)) ++finished;
    });
  }
  if (loops_[0]->RunUntil([&] { return done(0); }, deadline_ns)) ++finished;
  for (auto& t : threads) t.join();
  return finished.load() == size();
}

}  // namespace caucus::bench
