#include "client/present/style.h"

namespace caucus::client {

std::string Style::Paint(Tone tone, std::string_view text) const {
  if (!color_) return std::string(text);
  std::string_view start;
  switch (tone) {
    case Tone::kDirect:
      start = "\033[1;35m";
      break;
    case Tone::kBroadcast:
      start = "\033[1;36m";
      break;
    case Tone::kNotice:
      start = "\033[2m";
      break;
    case Tone::kError:
      start = "\033[1;31m";
      break;
    case Tone::kStrong:
      start = "\033[1m";
      break;
  }
  std::string out(start);
  out.append(text).append("\033[0m");
  return out;
}

}  // namespace caucus::client
