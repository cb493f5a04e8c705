// Spreading many connections over several loopback source addresses.
//
// One source address can reach one server port from about 28,000
// ephemeral ports; past ~20,000 connections the generator uses 127.0.0.1,
// 127.0.0.2, ... in turn (all of 127.0.0.0/8 is loopback on Linux).
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>

namespace caucus::bench {

// The source address for connection `index` of `total` to `server`: none
// (the kernel's choice) when `total` <= `per_source` or the server is not
// on loopback; else 127.0.0.(1 + index / per_source).
// REQUIRES: per_source >= 1, index < total, total / per_source < 254.
std::optional<sockaddr_in> SourceAddressFor(const sockaddr_in& server, int64_t index, int64_t total,
                                            int64_t per_source);

// Raises this process's soft limit on open files to its hard limit;
// returns the limit now in force.
int64_t RaiseFileLimit();

}  // namespace caucus::bench
