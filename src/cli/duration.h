// Durations on caucusd's command line: a whole number and one unit, as in
// `--history-retention 30d`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caucus::cli {

// Parses "<N><unit>" with unit s, m, h, d or w (seconds to weeks), N >= 1;
// milliseconds, or nullopt for anything else (no unit, several units, a
// sign, spaces, zero, more than 100 years).
std::optional<int64_t> ParseDurationMs(std::string_view text);

// The shortest form ParseDurationMs reads back: 30d, 36h, 90s.
std::string FormatDuration(int64_t ms);

}  // namespace caucus::cli
