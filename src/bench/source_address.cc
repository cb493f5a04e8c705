#include "bench/source_address.h"

#include <arpa/inet.h>
#include <sys/resource.h>

namespace caucus::bench {

std::optional<sockaddr_in> SourceAddressFor(const sockaddr_in& server, int64_t index, int64_t total,
                                            int64_t per_source) {
  const uint32_t host = ntohl(server.sin_addr.s_addr);
  if (total <= per_source || (host >> 24) != 127) return std::nullopt;
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_port = 0;
  source.sin_addr.s_addr = htonl((127u << 24) | static_cast<uint32_t>(1 + index / per_source));
  return source;
}

int64_t RaiseFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return static_cast<int64_t>(limit.rlim_cur);
}

}  // namespace caucus::bench
