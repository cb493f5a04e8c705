#include "bus/frames.h"

#include <charconv>

namespace caucus::bus {

void AppendFrame(std::string* out, std::string_view payload) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, payload.size()).ptr;
  out->append(digits, end);
  out->push_back('\n');
  out->append(payload);
}

bool ForEachFrame(std::string_view message, const std::function<void(std::string_view)>& fn) {
  while (!message.empty()) {
    const size_t newline = message.find('\n');
    if (newline == std::string_view::npos || newline == 0 || newline > 20) return false;
    size_t size = 0;
    const auto [ptr, ec] = std::from_chars(message.data(), message.data() + newline, size);
    if (ec != std::errc() || ptr != message.data() + newline) return false;
    message.remove_prefix(newline + 1);
    if (size > message.size()) return false;
    fn(message.substr(0, size));
    message.remove_prefix(size);
  }
  return true;
}

}  // namespace caucus::bus
