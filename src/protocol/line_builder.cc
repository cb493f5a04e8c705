#include "protocol/line_builder.h"

#include <charconv>

#include "protocol/wire_time.h"

namespace caucus::protocol {

bool IsWord(std::string_view s) {
  if (s.empty() || s.front() == ':') return false;
  for (char c : s) {
    if (c == ' ' || c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

LineBuilder::LineBuilder(std::string& out, std::string_view tag) : out_(out) {
  if (!tag.empty()) {
    out_.push_back('@');
    out_.append(tag);
    out_.push_back(' ');
  }
}

void LineBuilder::Separator() {
  if (!first_) out_.push_back(' ');
  first_ = false;
}

LineBuilder& LineBuilder::Word(std::string_view word) {
  Separator();
  out_.append(word);
  return *this;
}

LineBuilder& LineBuilder::Int(int64_t value) {
  Separator();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
  return *this;
}

LineBuilder& LineBuilder::Time(int64_t unix_ms) {
  Separator();
  AppendTime(out_, unix_ms);
  return *this;
}

LineBuilder& LineBuilder::Trailing(std::string_view text) {
  Separator();
  out_.push_back(':');
  out_.append(text);
  return *this;
}

void LineBuilder::End() { out_.push_back('\n'); }

}  // namespace caucus::protocol
