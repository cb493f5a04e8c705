// Clock and Scheduler: time for the domain, so that it can be tested with
// a manual clock and driven by the event loop's timers in the server.
#pragma once

#include <cstdint>
#include <functional>

#include "core/types.h"

namespace caucus::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, UTC.
  virtual TimeMs Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs Now() const override;
};

// Runs functions at wall-clock times, on the domain's thread.
class Scheduler {
 public:
  using TimerId = uint64_t;
  virtual ~Scheduler() = default;
  // Calls `fn` at `when` (at once if `when` has passed). Returns an id for Cancel.
  virtual TimerId At(TimeMs when, std::function<void()> fn) = 0;
  // Cancels a timer that has not fired; unknown ids are ignored.
  virtual void Cancel(TimerId id) = 0;
};

}  // namespace caucus::core
