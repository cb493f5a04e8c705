// Rate limits: a token bucket (commands per second of one session) and a
// windowed counter per key (new connections, registrations and failed
// logins per client address).
//
// Thread-safety: none; each belongs to the event loop.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/types.h"

namespace caucus::core {

// Allows `rate` events per second on average, and bursts of `burst`.
class TokenBucket {
 public:
  // Takes one token; false when none is left. rate 0 means unlimited.
  bool Take(TimeMs now, double rate, double burst) {
    if (rate <= 0) return true;
    if (last_ == 0) {
      tokens_ = static_cast<float>(burst);
    } else {
      tokens_ = static_cast<float>(
          std::min<double>(burst, tokens_ + static_cast<double>(now - last_) * rate / 1000.0));
    }
    last_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  float tokens_ = 0;
  TimeMs last_ = 0;
};

// Counts events per key in fixed windows of `window_ms`; at most `limit`
// per window. A limit of 0 means unlimited.
class WindowCounter {
 public:
  WindowCounter(int limit, TimeMs window_ms) : limit_(limit), window_ms_(window_ms) {}

  // True while the key is under its limit in the current window.
  bool Allowed(const std::string& key, TimeMs now) const;
  // Counts one event.
  void Add(const std::string& key, TimeMs now);
  // Allowed() and then Add() if allowed.
  bool Take(const std::string& key, TimeMs now) {
    if (!Allowed(key, now)) return false;
    Add(key, now);
    return true;
  }
  // Forgets keys whose window has passed.
  void Purge(TimeMs now);
  size_t keys() const { return counts_.size(); }

 private:
  struct Window {
    TimeMs start = 0;
    int count = 0;
  };
  int limit_;
  TimeMs window_ms_;
  std::unordered_map<std::string, Window> counts_;
};

}  // namespace caucus::core
