// LoopScheduler: core::Scheduler on the event loop's wall-clock timers.
//
// Thread-safety: event loop thread only.
#pragma once

#include <boost/asio/system_timer.hpp>
#include <memory>
#include <unordered_map>

#include "core/clock.h"

namespace caucus::server {

class LoopScheduler final : public core::Scheduler {
 public:
  explicit LoopScheduler(boost::asio::io_context& io) : io_(io) {}
  TimerId At(core::TimeMs when, std::function<void()> fn) override;
  void Cancel(TimerId id) override;
  void CancelAll();

 private:
  boost::asio::io_context& io_;
  TimerId next_ = 1;
  std::unordered_map<TimerId, std::unique_ptr<boost::asio::system_timer>> timers_;
};

}  // namespace caucus::server
