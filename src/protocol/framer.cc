#include "protocol/framer.h"

#include <cstring>

namespace caucus::protocol {

void LineFramer::Append(std::string_view bytes) {
  if (discarding_ && buffered() == 0) {
    // Inside an over-long line: keep nothing until its LF.
    const size_t lf = bytes.find('\n');
    if (lf == std::string_view::npos) return;
    bytes.remove_prefix(lf);  // keep the LF: Next() reports kTooLong on it
  }
  if (start_ > 0 && start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
    scanned_ = 0;
  }
  buf_.append(bytes.data(), bytes.size());
}

LineFramer::Frame LineFramer::Next() {
  const size_t held = buf_.size() - start_;
  const char* base = buf_.data() + start_;
  const void* hit = held > scanned_ ? std::memchr(base + scanned_, '\n', held - scanned_) : nullptr;
  if (hit == nullptr) {
    scanned_ = held;
    if (discarding_ || held >= max_line_) {
      // No LF within the limit: this line is too long whatever follows.
      discarding_ = true;
      buf_.clear();
      start_ = 0;
      scanned_ = 0;
    }
    return {};
  }
  const size_t len = static_cast<const char*>(hit) - base;  // without the LF
  start_ += len + 1;
  scanned_ = 0;
  if (discarding_ || len + 1 > max_line_) {
    discarding_ = false;
    return {Kind::kTooLong, {}};
  }
  std::string_view line(base, len);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return {Kind::kLine, line};
}

void LineFramer::Compact() {
  if (start_ == 0) return;
  if (start_ == buf_.size()) {
    std::string().swap(buf_);  // an idle connection holds no input buffer
  } else {
    buf_.erase(0, start_);
  }
  start_ = 0;
}

}  // namespace caucus::protocol
