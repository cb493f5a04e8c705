#include "net/out_queue.h"

#include <algorithm>
#include <utility>

namespace caucus::net {

void OutQueue::Grow() {
  if (!ring_) {
    // Drained before: start at the size the last burst needed (capped),
    // not at 4 and doubling again every loop turn.
    if (cap_ == 0) cap_ = kFirstCapacity;
    ring_ = std::make_unique<protocol::SharedLine[]>(cap_);
    return;
  }
  const uint32_t cap = cap_ * 2;
  auto ring = std::make_unique<protocol::SharedLine[]>(cap);
  for (uint32_t i = 0; i < count_; ++i) ring[i] = std::move(at(i));
  ring_ = std::move(ring);
  cap_ = cap;
  head_ = 0;
}

void OutQueue::Push(const protocol::SharedLine& line) {
  if (line.empty()) return;
  if (!ring_ || count_ == cap_) Grow();
  at(count_) = line;
  ++count_;
  bytes_ += line.size();
}

int OutQueue::Gather(iovec* iov, int max) const {
  int n = 0;
  for (uint32_t i = 0; i < count_ && n < max; ++i, ++n) {
    const auto& line = at(i);
    const size_t skip = i == 0 ? offset_ : 0;
    iov[n].iov_base = const_cast<char*>(line.data() + skip);
    iov[n].iov_len = line.size() - skip;
  }
  return n;
}

void OutQueue::Consume(size_t n) {
  bytes_ -= n;
  while (n > 0) {
    auto& front = at(0);
    const size_t left = front.size() - offset_;
    if (n < left) {
      offset_ += static_cast<uint32_t>(n);
      return;
    }
    n -= left;
    front = protocol::SharedLine();
    head_ = (head_ + 1) & (cap_ - 1);
    --count_;
    offset_ = 0;
  }
  if (count_ == 0) {
    // Drained: an idle connection holds no ring. The next one starts
    // at this one's size, up to kKeptCapacity.
    ring_.reset();
    cap_ = std::min(cap_, kKeptCapacity);
    head_ = 0;
  }
}

bool OutQueue::DropUnstarted() {
  const uint32_t keep = offset_ > 0 ? 1 : 0;
  while (count_ > keep) {
    auto& last = at(count_ - 1);
    bytes_ -= last.size();
    last = protocol::SharedLine();
    --count_;
  }
  return count_ == 0;
}

}  // namespace caucus::net
