// Times typed by people, for `read [SINCE]`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace caucus::client {

// Parses `text` into Unix milliseconds (UTC). Accepted, with local times in
// the process's time zone:
//   10s 10m 2h 3d 1w            that long before `now_ms`
//   14:30  14:30:05             today
//   2026-11-21                  that day's start
//   2026-11-21 14:30[:05]
//   21 Nov 2026 14:30:05        (the older tools' form; also without the time)
//   2026-11-21T14:30:00.000Z    RFC 3339, any offset
// Returns nullopt for anything else.
std::optional<int64_t> ParseSince(std::string_view text, int64_t now_ms);

}  // namespace caucus::client
