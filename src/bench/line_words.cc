#include "bench/line_words.h"

namespace caucus::bench {

std::string_view NthWord(std::string_view line, int n) {
  size_t start = 0;
  for (int i = 0; i < n; ++i) {
    start = line.find(' ', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  const size_t end = line.find(' ', start);
  return line.substr(start, end == std::string_view::npos ? line.size() - start : end - start);
}

std::string_view TrailingParam(std::string_view line) {
  const size_t at = line.find(" :");
  return at == std::string_view::npos ? std::string_view() : line.substr(at + 2);
}

}  // namespace caucus::bench
