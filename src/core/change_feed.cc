#include "core/change_feed.h"

#include <spdlog/spdlog.h>

#include <memory>

namespace caucus::core {

void ChangeFeed::Start(int64_t last_seq, std::string own_origin) {
  last_seq_ = last_seq;
  own_origin_ = std::move(own_origin);
}

void ChangeFeed::CatchUp(std::function<void()> then) {
  if (reading_) {
    if (then) next_.push_back(std::move(then));
    return;
  }
  if (then) waiting_.push_back(std::move(then));
  Read();
}

void ChangeFeed::Read() {
  reading_ = true;
  store_.ChangesSince(last_seq_, [this](store::Result<std::vector<store::Change>> r) {
    if (!r.ok()) {
      spdlog::error("change feed: {}", r.status().message());
      return Finish();
    }
    // Applied in order; `then` waits for the last of them.
    auto pending = std::make_shared<size_t>(1);
    auto one_done = [this, pending] {
      if (--*pending == 0) Finish();
    };
    for (const auto& c : *r) {
      last_seq_ = std::max(last_seq_, c.seq);
      if (c.origin == own_origin_) continue;
      ++*pending;
      apply_(c, one_done);
    }
    one_done();
  });
}

void ChangeFeed::Finish() {
  reading_ = false;
  auto served = std::move(waiting_);
  waiting_.clear();
  if (!next_.empty()) {
    waiting_ = std::move(next_);
    next_.clear();
    Read();
  }
  for (auto& fn : served) fn();
}

}  // namespace caucus::core
