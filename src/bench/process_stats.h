// What the benchmark reads about processes: CPU time and resident memory,
// its own through getrusage(2) and the server's from /proc/<pid>.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace caucus::bench {

// User plus system CPU seconds (all threads) from the text of
// /proc/<pid>/stat, whose times are in clock ticks; nullopt if malformed.
std::optional<double> ParseProcStatCpu(std::string_view stat, long ticks_per_second);

// VmRSS, in bytes, from the text of /proc/<pid>/status; nullopt if absent.
std::optional<int64_t> ParseVmRss(std::string_view status);

// The same read from /proc for `pid`; nullopt when it cannot be read.
std::optional<double> ProcessCpuSeconds(int pid);
std::optional<int64_t> ProcessRssBytes(int pid);

// This process's user plus system CPU seconds, all threads.
double SelfCpuSeconds();

}  // namespace caucus::bench
