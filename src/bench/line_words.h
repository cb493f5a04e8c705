// Picking words out of a received protocol line, without copying.
#pragma once

#include <string_view>

namespace caucus::bench {

// The `n`-th space-separated word of `line` (0-based), or empty.
std::string_view NthWord(std::string_view line, int n);

// The trailing parameter: what follows the first " :", or empty.
std::string_view TrailingParam(std::string_view line);

}  // namespace caucus::bench
