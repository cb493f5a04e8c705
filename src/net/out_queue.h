// OutQueue: the bytes waiting to be written to one connection, as a ring
// of shared lines. Empty queues hold no memory; writes gather many lines
// into one system call.
//
// Thread-safety: none (one connection, one thread).
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <memory>

#include "protocol/shared_line.h"

namespace caucus::net {

class OutQueue {
 public:
  OutQueue() = default;
  OutQueue(const OutQueue&) = delete;
  OutQueue& operator=(const OutQueue&) = delete;

  void Push(const protocol::SharedLine& line);
  bool empty() const { return count_ == 0; }
  size_t bytes() const { return bytes_; }

  // Fills at most `max` iovecs with the unwritten bytes, oldest first.
  int Gather(iovec* iov, int max) const;
  // Marks `n` bytes (from the front) as written.
  void Consume(size_t n);
  // Drops every line except a partly written first one (so that the
  // stream stays whole). Returns true if nothing is left.
  bool DropUnstarted();

 private:
  void Grow();
  protocol::SharedLine& at(size_t i) { return ring_[(head_ + i) & (cap_ - 1)]; }
  const protocol::SharedLine& at(size_t i) const { return ring_[(head_ + i) & (cap_ - 1)]; }

  static constexpr uint32_t kFirstCapacity = 4;
  static constexpr uint32_t kKeptCapacity = 64;

  std::unique_ptr<protocol::SharedLine[]> ring_;  // null when empty
  uint32_t cap_ = 0;  // ring_'s size (a power of two); without ring_, the next one's, or 0
  uint32_t head_ = 0;
  uint32_t count_ = 0;
  uint32_t offset_ = 0;  // bytes of the first line already written
  size_t bytes_ = 0;     // unwritten bytes
};

}  // namespace caucus::net
