// Outbox: the datagrams a state machine wants sent, in order. Buffers are
// kept between rounds so that a busy transfer does not allocate per
// datagram: Clear() forgets the contents, not the capacity.
//
// Thread-safety: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace caucus::p2p {

// Time in microseconds on a monotonic clock; the state machines never read
// a clock themselves.
using Micros = int64_t;
constexpr Micros kNever = INT64_MAX;

class Outbox {
 public:
  // A cleared buffer for the next datagram.
  std::string* Add() {
    if (used_ == bufs_.size()) bufs_.emplace_back();
    std::string* b = &bufs_[used_++];
    b->clear();
    return b;
  }
  size_t size() const { return used_; }
  const std::string& operator[](size_t i) const { return bufs_[i]; }
  void Clear() { used_ = 0; }

 private:
  std::vector<std::string> bufs_;
  size_t used_ = 0;
};

}  // namespace caucus::p2p
