// Times and durations written for people, in the local time zone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace caucus::client {

// The system clock, in Unix ms.
int64_t SystemNowMs();

// `unix_ms` in local time, as short as is clear next to `now_ms`: "14:02"
// the same day, "Nov 21 14:02" the same year, "2025-11-21 14:02" otherwise.
std::string LocalTime(int64_t unix_ms, int64_t now_ms);

// A wire time (RFC 3339) shown with LocalTime; "-" (not known yet) is
// "not set"; anything else is returned as it came.
std::string WireLocalTime(std::string_view wire, int64_t now_ms);

// `unix_ms` in local time to the second, in a form `edit N TIME` takes
// back: "14:02:05" the same day, "2025-11-21 14:02:05" otherwise.
std::string LocalTimeSeconds(int64_t unix_ms, int64_t now_ms);
std::string WireLocalTimeSeconds(std::string_view wire, int64_t now_ms);

// "1 second", "45 seconds", "2 minutes 5 seconds", "3 hours", "1 day 2 hours".
std::string Duration(int64_t seconds);

}  // namespace caucus::client
