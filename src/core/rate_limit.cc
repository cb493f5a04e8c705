#include "core/rate_limit.h"

namespace caucus::core {

bool WindowCounter::Allowed(const std::string& key, TimeMs now) const {
  if (limit_ <= 0) return true;
  auto it = counts_.find(key);
  if (it == counts_.end() || now - it->second.start >= window_ms_) return true;
  return it->second.count < limit_;
}

void WindowCounter::Add(const std::string& key, TimeMs now) {
  if (limit_ <= 0) return;
  Window& w = counts_[key];
  if (now - w.start >= window_ms_) w = Window{now, 0};
  ++w.count;
}

void WindowCounter::Purge(TimeMs now) {
  for (auto it = counts_.begin(); it != counts_.end();) {
    if (now - it->second.start >= window_ms_) {
      it = counts_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace caucus::core
