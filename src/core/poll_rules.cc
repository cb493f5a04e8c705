#include "core/poll_rules.h"

#include <algorithm>

#include "protocol/names.h"
#include "protocol/wire_time.h"

namespace caucus::core {
namespace {

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

}  // namespace

std::optional<PollFlags> ParsePollFlags(std::string_view text) {
  PollFlags f;
  if (text == "-") return f;
  for (std::string_view flag : Split(text, ',')) {
    if (flag == "live") {
      f.live = true;
    } else if (flag == "vote-password") {
      f.vote_password = true;
    } else if (flag == "results-password") {
      f.results_password = true;
    } else if (flag == "revote") {
      f.revote = true;
    } else if (flag == "roll") {
      f.roll = true;
    } else if (flag.substr(0, 8) == "choices=") {
      int64_t n;
      if (!protocol::ParseCount(flag.substr(8), &n) || n < 2 || n > 50) return std::nullopt;
      f.max_choices = static_cast<int>(n);
    } else {
      return std::nullopt;
    }
  }
  return f;
}

std::string FormatPollFlags(const PollFlags& f) {
  std::string out;
  const auto add = [&out](std::string_view flag) {
    if (!out.empty()) out.push_back(',');
    out.append(flag);
  };
  if (f.live) add("live");
  if (f.vote_password) add("vote-password");
  if (f.results_password) add("results-password");
  if (f.revote) add("revote");
  if (f.roll) add("roll");
  if (f.max_choices > 1) add("choices=" + std::to_string(f.max_choices));
  return out.empty() ? "-" : out;
}

std::optional<PollSchedule> ParsePollSchedule(std::string_view opens, std::string_view closes,
                                              TimeMs now) {
  PollSchedule s;
  if (opens != "-") {
    auto t = protocol::ParseTime(opens);
    if (!t || *t <= now) return std::nullopt;
    s.opens_ms = *t;
  }
  if (!closes.empty() && closes[0] == '+') {
    int64_t seconds;
    if (!protocol::ParseCount(closes.substr(1), &seconds) || seconds < 1 ||
        seconds > 10LL * 366 * 86400) {
      return std::nullopt;
    }
    s.close_after_s = seconds;
    return s;
  }
  auto t = protocol::ParseTime(closes);
  if (!t || *t <= now || (s.opens_ms != 0 && *t <= s.opens_ms)) return std::nullopt;
  s.closes_ms = *t;
  return s;
}

std::vector<int> ParseChoices(std::string_view text) {
  std::vector<int> out;
  for (std::string_view part : Split(text, ',')) {
    int64_t n;
    if (!protocol::ParseCount(part, &n) || n < 1 || n > 1000) return {};
    out.push_back(static_cast<int>(n));
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) return {};
  return out;
}

}  // namespace caucus::core
