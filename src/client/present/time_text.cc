#include "client/present/time_text.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "protocol/wire_time.h"

namespace caucus::client {
namespace {

std::tm Local(int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  return tm;
}

std::string Format(const std::tm& tm, const char* format) {
  char buf[64];
  const size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

std::string Count(int64_t n, std::string_view unit) {
  std::string s = std::to_string(n) + " " + std::string(unit);
  if (n != 1) s += "s";
  return s;
}

}  // namespace

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string LocalTime(int64_t unix_ms, int64_t now_ms) {
  const std::tm tm = Local(unix_ms);
  const std::tm now = Local(now_ms);
  if (tm.tm_year == now.tm_year && tm.tm_yday == now.tm_yday) return Format(tm, "%H:%M");
  if (tm.tm_year == now.tm_year) {
    return Format(tm, "%b ") + std::to_string(tm.tm_mday) + Format(tm, " %H:%M");
  }
  return Format(tm, "%Y-%m-%d %H:%M");
}

std::string WireLocalTime(std::string_view wire, int64_t now_ms) {
  if (wire == "-") return "not set";
  if (auto t = protocol::ParseTime(wire)) return LocalTime(*t, now_ms);
  return std::string(wire);
}

std::string LocalTimeSeconds(int64_t unix_ms, int64_t now_ms) {
  const std::tm tm = Local(unix_ms);
  const std::tm now = Local(now_ms);
  if (tm.tm_year == now.tm_year && tm.tm_yday == now.tm_yday) return Format(tm, "%H:%M:%S");
  return Format(tm, "%Y-%m-%d %H:%M:%S");
}

std::string WireLocalTimeSeconds(std::string_view wire, int64_t now_ms) {
  if (wire == "-") return "not set";
  if (auto t = protocol::ParseTime(wire)) return LocalTimeSeconds(*t, now_ms);
  return std::string(wire);
}

std::string Duration(int64_t seconds) {
  struct Unit {
    int64_t size;
    std::string_view name;
  };
  static constexpr Unit kUnits[] = {{86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
  if (seconds < 60) return Count(seconds, "second");
  for (size_t i = 0; i + 1 < std::size(kUnits); ++i) {
    if (seconds < kUnits[i].size) continue;
    const int64_t big = seconds / kUnits[i].size;
    const int64_t small = seconds % kUnits[i].size / kUnits[i + 1].size;
    std::string s = Count(big, kUnits[i].name);
    if (small > 0) s += fmt::format(" {}", Count(small, kUnits[i + 1].name));
    return s;
  }
  return Count(seconds, "second");
}

}  // namespace caucus::client
