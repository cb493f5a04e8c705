// Times typed by people, for `read [SINCE]`, and the time that names a
// post in `edit N TIME TEXT` and `delete N TIME`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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

// A time that names a post: the span [from_ms, to_ms) its time must fall
// in (the second, or the minute, that was typed), and the words typed.
struct PostTime {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::string typed;
};

// Takes a post's time from the start of `text`: a local time with a time of
// day, as `read` shows it and the older tools wrote it, to the second or to
// the minute when a date is given:
//   14:30:05                    today
//   2026-11-21 14:30[:05]
//   21 Nov 2026 14:30[:05]
//   2026-11-21T14:30:05.000Z    RFC 3339 (to the second)
// The longest match wins. Returns nullopt when `text` does not start with
// one; else *rest holds what follows it, spaces skipped.
std::optional<PostTime> TakePostTime(std::string_view text, int64_t now_ms, std::string_view* rest);

}  // namespace caucus::client
