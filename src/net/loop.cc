#include "net/loop.h"

#include <boost/asio/post.hpp>

namespace caucus::net {

void Loop::ScheduleFlush(std::shared_ptr<Flushable> c) {
  pending_.push_back(std::move(c));
  if (posted_) return;
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
