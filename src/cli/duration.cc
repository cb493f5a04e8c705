#include "cli/duration.h"

#include <array>
#include <utility>

namespace caucus::cli {
namespace {

constexpr int64_t kSecond = 1000;
constexpr std::array<std::pair<char, int64_t>, 5> kUnits{{{'w', 7 * 86400 * kSecond},
                                                          {'d', 86400 * kSecond},
                                                          {'h', 3600 * kSecond},
                                                          {'m', 60 * kSecond},
                                                          {'s', kSecond}}};
constexpr int64_t kMaxMs = int64_t{100} * 366 * 86400 * kSecond;

}  // namespace

std::optional<int64_t> ParseDurationMs(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  int64_t scale = 0;
  for (const auto& [name, ms] : kUnits) {
    if (name == unit) scale = ms;
  }
  if (scale == 0) return std::nullopt;
  int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
    if (n > kMaxMs / scale) return std::nullopt;
  }
  if (n == 0) return std::nullopt;
  return n * scale;
}

std::string FormatDuration(int64_t ms) {
  for (const auto& [name, unit] : kUnits) {
    if (ms % unit == 0) return std::to_string(ms / unit) + name;
  }
  return std::to_string(ms) + "ms";
}

}  // namespace caucus::cli
