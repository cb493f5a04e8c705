#include "bench/process_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace caucus::bench {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ToInt(std::string_view s, int64_t* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

std::optional<double> ParseProcStatCpu(std::string_view stat, long ticks_per_second) {
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so
  // count fields from the last ')'. utime and stime are fields 14 and 15,
  // that is the 12th and 13th after it.
  const size_t paren = stat.rfind(')');
  if (paren == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  std::string_view rest = stat.substr(paren + 1);
  int64_t ticks[2];
  for (int field = 1; field <= 13; ++field) {
    const size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(start);
    const size_t end = std::min(rest.find(' '), rest.size());
    if (field >= 12 && !ToInt(rest.substr(0, end), &ticks[field - 12])) return std::nullopt;
    rest.remove_prefix(end);
  }
  return static_cast<double>(ticks[0] + ticks[1]) / static_cast<double>(ticks_per_second);
}

std::optional<int64_t> ParseVmRss(std::string_view status) {
  const size_t at = status.find("VmRSS:");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = status.substr(at + 6);
  const size_t start = rest.find_first_not_of(" \t");
  if (start == std::string_view::npos) return std::nullopt;
  rest.remove_prefix(start);
  const size_t end = rest.find(' ');
  int64_t kib = 0;
  if (end == std::string_view::npos || !ToInt(rest.substr(0, end), &kib)) return std::nullopt;
  if (!rest.substr(end + 1).starts_with("kB")) return std::nullopt;
  return kib * 1024;
}

std::optional<double> ProcessCpuSeconds(int pid) {
  auto text = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  return ParseProcStatCpu(*text, ::sysconf(_SC_CLK_TCK));
}

std::optional<int64_t> ProcessRssBytes(int pid) {
  auto text = ReadFile("/proc/" + std::to_string(pid) + "/status");
  if (!text) return std::nullopt;
  return ParseVmRss(*text);
}

double SelfCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace caucus::bench
