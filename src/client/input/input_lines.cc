#include "client/input/input_lines.h"

#include <unistd.h>

#include <cerrno>

namespace caucus::client {

void InputLines::Read() {
  char chunk[65536];
  ssize_t n;
  while ((n = ::read(fd_, chunk, sizeof chunk)) < 0 && errno == EINTR) {
  }
  if (n > 0) {
    buf_.append(chunk, static_cast<size_t>(n));
  } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
    eof_ = true;
  }
}

std::optional<std::string> InputLines::Next() {
  const size_t lf = buf_.find('\n');
  if (lf == std::string::npos && !(eof_ && !buf_.empty())) return std::nullopt;
  std::string line = buf_.substr(0, lf);
  buf_.erase(0, lf == std::string::npos ? buf_.size() : lf + 1);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace caucus::client
