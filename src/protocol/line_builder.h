// LineBuilder appends outgoing protocol lines to a string.
//
//   std::string out;
//   LineBuilder(out, tag).Word("OK").Word("SEND").Int(id).Trailing(text).End();
//
// Words must not be empty, hold a space, CR, LF or NUL, or start with ':'
// (callers pass names, codes and numbers, which never do). Trailing() writes
// the last parameter in trailing form, whatever it holds. End() adds the LF.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace caucus::protocol {

class LineBuilder {
 public:
  // Starts a line; a non-empty tag is written first as "@tag ".
  explicit LineBuilder(std::string& out, std::string_view tag = {});

  LineBuilder& Word(std::string_view word);
  LineBuilder& Int(int64_t value);
  LineBuilder& Time(int64_t unix_ms);  // RFC 3339 UTC with milliseconds
  LineBuilder& Trailing(std::string_view text);
  void End();

 private:
  void Separator();
  std::string& out_;
  bool first_ = true;
};

// True when `s` can be sent as a word (not trailing).
bool IsWord(std::string_view s);

// A buffer of this thread's to build a line in before it is copied out
// (into a SharedLine), empty on each call: no allocation per line once it
// has grown. Users that may be in use at once take different `Slot`s.
template <int Slot>
std::string& ScratchLine() {
  thread_local std::string buf;
  buf.clear();
  if (buf.capacity() > (1 << 20)) std::string().swap(buf);  // after a huge line
  return buf;
}

}  // namespace caucus::protocol
