#include "client/commands/since.h"

#include <ctime>
#include <initializer_list>
#include <string>

#include "protocol/names.h"
#include "protocol/wire_time.h"

namespace caucus::client {
namespace {

std::optional<int64_t> Relative(std::string_view text, int64_t now_ms) {
  if (text.size() < 2) return std::nullopt;
  int64_t unit_s;
  switch (text.back()) {
    case 's':
      unit_s = 1;
      break;
    case 'm':
      unit_s = 60;
      break;
    case 'h':
      unit_s = 3600;
      break;
    case 'd':
      unit_s = 86400;
      break;
    case 'w':
      unit_s = 7 * 86400;
      break;
    default:
      return std::nullopt;
  }
  int64_t count;
  if (!protocol::ParseCount(text.substr(0, text.size() - 1), &count)) return std::nullopt;
  if (count > 100LL * 366 * 86400 / unit_s) return std::nullopt;
  return now_ms - count * unit_s * 1000;
}

// Parses the whole of `text` with strptime's `format` on top of *tm.
bool Matches(const std::string& text, const char* format, std::tm* tm) {
  const char* end = ::strptime(text.c_str(), format, tm);
  return end != nullptr && *end == '\0';
}

std::optional<int64_t> Local(std::string_view text, int64_t now_ms) {
  const std::string s(text);
  std::tm today{};
  const std::time_t now_s = static_cast<std::time_t>(now_ms / 1000);
  ::localtime_r(&now_s, &today);

  static const char* kDated[] = {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
                                 "%d %b %Y %H:%M:%S", "%d %b %Y %H:%M", "%d %b %Y"};
  static const char* kTimeOfDay[] = {"%H:%M:%S", "%H:%M"};
  std::tm tm{};
  bool found = false;
  for (const char* f : kDated) {
    tm = std::tm{};
    if ((found = Matches(s, f, &tm))) break;
  }
  for (size_t i = 0; !found && i < std::size(kTimeOfDay); ++i) {
    tm = std::tm{};
    tm.tm_year = today.tm_year;
    tm.tm_mon = today.tm_mon;
    tm.tm_mday = today.tm_mday;
    found = Matches(s, kTimeOfDay[i], &tm);
  }
  if (!found) return std::nullopt;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1) || t < 0) return std::nullopt;
  return static_cast<int64_t>(t) * 1000;
}

// Parses the whole of `text` as a local time of one of `formats`; today's
// date when the format has none (`dated` false).
std::optional<int64_t> LocalAs(std::string_view text, int64_t now_ms,
                               std::initializer_list<const char*> formats, bool dated) {
  const std::string s(text);
  std::tm today{};
  const std::time_t now_s = static_cast<std::time_t>(now_ms / 1000);
  ::localtime_r(&now_s, &today);
  for (const char* f : formats) {
    std::tm tm{};
    if (!dated) {
      tm.tm_year = today.tm_year;
      tm.tm_mon = today.tm_mon;
      tm.tm_mday = today.tm_mday;
    }
    if (!Matches(s, f, &tm)) continue;
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm);
    if (t == static_cast<std::time_t>(-1) || t < 0) return std::nullopt;
    return static_cast<int64_t>(t) * 1000;
  }
  return std::nullopt;
}

// The first `n` words of `text` (single spaces between them), and what
// follows; false when it has fewer.
bool FirstWords(std::string_view text, size_t n, std::string* words, std::string_view* rest) {
  words->clear();
  size_t i = 0;
  for (size_t w = 0; w < n; ++w) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i == text.size()) return false;
    const size_t begin = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (!words->empty()) words->push_back(' ');
    words->append(text.substr(begin, i - begin));
  }
  while (i < text.size() && text[i] == ' ') ++i;
  *rest = text.substr(i);
  return true;
}

}  // namespace

std::optional<PostTime> TakePostTime(std::string_view text, int64_t now_ms,
                                     std::string_view* rest) {
  struct Form {
    size_t words;
    std::initializer_list<const char*> seconds;  // formats to the second
    std::initializer_list<const char*> minutes;  // formats to the minute
    bool dated;
  };
  static const Form kForms[] = {
      {4, {"%d %b %Y %H:%M:%S"}, {"%d %b %Y %H:%M"}, true},
      {2, {"%Y-%m-%d %H:%M:%S"}, {"%Y-%m-%d %H:%M"}, true},
      {1, {"%H:%M:%S"}, {}, false},
  };
  std::string words;
  for (const Form& f : kForms) {
    if (!FirstWords(text, f.words, &words, rest)) continue;
    if (auto t = LocalAs(words, now_ms, f.seconds, f.dated)) {
      return PostTime{*t, *t + 1000, words};
    }
    if (auto t = LocalAs(words, now_ms, f.minutes, f.dated)) {
      return PostTime{*t, *t + 60 * 1000, words};
    }
  }
  if (FirstWords(text, 1, &words, rest)) {
    if (auto t = protocol::ParseTime(words)) {
      const int64_t second = *t - *t % 1000;
      return PostTime{second, second + 1000, words};
    }
  }
  return std::nullopt;
}

std::optional<int64_t> ParseSince(std::string_view text, int64_t now_ms) {
  if (auto t = Relative(text, now_ms)) return t;
  if (auto t = protocol::ParseTime(text)) return t;
  return Local(text, now_ms);
}

}  // namespace caucus::client
