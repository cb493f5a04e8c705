#include "net/loop.h"

#include <boost/asio/post.hpp>

namespace caucus::net {

void Loop::ScheduleFlush(std::shared_ptr<Flushable> c) {
  pending_.push_back(std::move(c));
  if (posted_) return;
  if (held_ && hold_time_.count() > 0) {
    if (hold_armed_) return;
    hold_armed_ = true;
    hold_timer_.expires_after(hold_time_);
    hold_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled: the loop is going
      hold_armed_ = false;
      if (!posted_ && !pending_.empty()) FlushAll();
    });
    return;
  }
  // An unheld flush: everything pending goes in the next pass, held or not
  // (a held line must not wait behind a later one to the same connection).
  posted_ = true;
  boost::asio::post(io_, [this] { FlushAll(); });
}

void Loop::FlushAll() {
  posted_ = false;
  running_.swap(pending_);
  for (auto& c : running_) c->Flush();
  running_.clear();
}

}  // namespace caucus::net
