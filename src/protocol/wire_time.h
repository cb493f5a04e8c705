// Times on the wire: RFC 3339 UTC with milliseconds, 2026-11-21T19:08:00.123Z.
// Times inside Caucus are int64 milliseconds since the Unix epoch, UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caucus::protocol {

// Appends `unix_ms` in wire form to `out`.
void AppendTime(std::string& out, int64_t unix_ms);
std::string FormatTime(int64_t unix_ms);

// Parses an RFC 3339 date-time: "T" or "t" between date and time, optional
// fraction (any number of digits, truncated to milliseconds), and "Z" or a
// numeric offset. Returns nullopt for anything else, including dates out of
// range (years 1970 to 9999).
std::optional<int64_t> ParseTime(std::string_view text);

}  // namespace caucus::protocol
