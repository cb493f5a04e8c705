// Fleet: the load generator's event loops, one per thread, run together in
// phases. Between phases no loop runs, so the caller may inspect and change
// every client freely; during a phase each loop is touched only by its own
// thread, and loops share only atomics.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "bench/event_loop.h"

namespace caucus::bench {

class Fleet {
 public:
  // REQUIRES: threads >= 1.
  explicit Fleet(int threads);

  // False when an epoll instance could not be created.
  bool ok() const;
  int size() const { return static_cast<int>(loops_.size()); }
  EventLoop& loop(int i) { return *loops_[i]; }

  // Runs loop i on its own thread (loop 0 on the caller's) until `done(i)`
  // holds or the steady-clock deadline passes. `done` is called from every
  // loop's thread. Returns true when every loop finished by `done`.
  bool Run(const std::function<bool(int)>& done, int64_t deadline_ns);

 private:
  std::vector<std::unique_ptr<EventLoop>> loops_;
};

}  // namespace caucus::bench
