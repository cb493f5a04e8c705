// The rules of POLLNEW's parameters and VOTE's choices (PROTOCOL.md "Poll
// administration"), as pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace caucus::core {

struct PollFlags {
  bool live = false;              // results visible while open
  bool vote_password = false;     // VOTE needs the password
  bool results_password = false;  // RESULTS needs the password
  bool revote = false;            // the last ballot counts
  bool roll = false;              // only the voter roll may vote
  int max_choices = 1;            // choices=N: up to N options per ballot (extension)
};

// Parses "-" or a comma-separated set of live, vote-password,
// results-password, revote, roll, choices=N (2..50). nullopt if invalid.
std::optional<PollFlags> ParsePollFlags(std::string_view text);

// The flags as POLLNEW takes them ("-" when none), in the order above:
// ParsePollFlags(FormatPollFlags(f)) gives f back.
std::string FormatPollFlags(const PollFlags& flags);

// The schedule POLLNEW asks for.
struct PollSchedule {
  TimeMs opens_ms = 0;        // 0: opened by POLLOPEN
  TimeMs closes_ms = 0;       // absolute, or 0 with close_after_s
  int64_t close_after_s = 0;  // +N: counted from the opening
};

// `opens`: "-" or an RFC 3339 time after `now`. `closes`: an RFC 3339 time
// after both `now` and the opening time, or "+N" seconds (1 to 10 years).
std::optional<PollSchedule> ParsePollSchedule(std::string_view opens, std::string_view closes,
                                              TimeMs now);

// Parses VOTE's choice: "n" or, for polls that allow several, "n,m,...";
// distinct positive integers. Returns an empty vector if malformed.
std::vector<int> ParseChoices(std::string_view text);

}  // namespace caucus::core
