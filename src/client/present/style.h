// Style: how text is marked for the terminal (ANSI colours), or left plain
// for scripts and dumb terminals.
#pragma once

#include <string>
#include <string_view>

namespace caucus::client {

enum class Tone {
  kDirect,     // a direct message to you
  kBroadcast,  // a message to everyone
  kNotice,     // presence, polls opening, connection notices
  kError,
  kStrong,  // things to notice: a generated password, a receipt
};

class Style {
 public:
  explicit Style(bool color) : color_(color) {}
  // `text` in `tone`; `text` itself when colour is off.
  std::string Paint(Tone tone, std::string_view text) const;

 private:
  bool color_;
};

}  // namespace caucus::client
