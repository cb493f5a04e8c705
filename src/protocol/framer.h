// LineFramer splits a received byte stream into protocol lines.
//
// Pure and socket-free: the connection appends what it reads and pulls
// frames out. A line is at most `max_line` bytes counting its LF; a longer
// one is discarded whole (its bytes are never buffered beyond the limit) and
// reported once, as a kTooLong frame, when its LF arrives.
//
// Thread-safety: none; one framer belongs to one connection.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace caucus::protocol {

class LineFramer {
 public:
  enum class Kind { kNone, kLine, kTooLong };
  struct Frame {
    Kind kind = Kind::kNone;
    // For kLine: the line without its LF and without one CR before the LF.
    // Valid until the next call to Append(), Next() or Compact().
    std::string_view line;
  };

  // REQUIRES: max_line >= 2.
  explicit LineFramer(size_t max_line) : max_line_(max_line) {}

  // Appends received bytes.
  void Append(std::string_view bytes);

  // Returns the next complete frame, or kNone when more bytes are needed.
  Frame Next();

  // Bytes held that are not yet part of a returned frame.
  size_t buffered() const { return buf_.size() - start_; }

  // Releases memory once everything has been consumed; call when idle.
  void Compact();

 private:
  std::string buf_;
  size_t start_ = 0;    // bytes before start_ have been returned
  size_t scanned_ = 0;  // bytes in [start_, start_+scanned_) hold no LF
  bool discarding_ = false;
  size_t max_line_;
};

}  // namespace caucus::protocol
