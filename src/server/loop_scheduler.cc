#include "server/loop_scheduler.h"

namespace caucus::server {

core::Scheduler::TimerId LoopScheduler::At(core::TimeMs when, std::function<void()> fn) {
  const TimerId id = next_++;
  auto timer = std::make_unique<boost::asio::system_timer>(io_);
  timer->expires_at(std::chrono::system_clock::time_point(std::chrono::milliseconds(when)));
  timer->async_wait([this, id, fn = std::move(fn)](const boost::system::error_code& ec) {
    if (ec) return;
    timers_.erase(id);
    fn();
  });
  timers_.emplace(id, std::move(timer));
  return id;
}

void LoopScheduler::Cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  it->second->cancel();
  timers_.erase(it);
}

void LoopScheduler::CancelAll() {
  for (auto& [id, t] : timers_) t->cancel();
  timers_.clear();
}

}  // namespace caucus::server
