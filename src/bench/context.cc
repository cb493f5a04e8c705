#include "bench/context.h"

#include "bench/payload.h"
#include "bench/source_address.h"
#include "bench/spread.h"

namespace caucus::bench {

int64_t BenchContext::Deadline() const { return NowNs() + static_cast<int64_t>(timeout_s * 1e9); }

Endpoints BenchContext::EndpointsFor(int64_t index, int64_t total) const {
  return EndpointsOn(ServerFor(index, server_count()), index, total);
}

Endpoints BenchContext::EndpointsOn(int server, int64_t index, int64_t total) const {
  const sockaddr_in& to = servers[server];
  return {to, SourceAddressFor(to, index, total, per_source)};
}

Identity BenchContext::IdentityFor(int64_t index) const {
  if (protocol == Protocol::kCaucus && accounts != nullptr) return accounts->Get(index);
  return {name_prefix + std::to_string(index), {}, {}};
}

std::unique_ptr<ProtocolAdapter> BenchContext::AdapterFor(int64_t index,
                                                          Membership membership) const {
  return AdapterFor(IdentityFor(index), membership);
}

std::unique_ptr<ProtocolAdapter> BenchContext::AdapterFor(Identity identity,
                                                          Membership membership) const {
  return MakeAdapter(protocol, std::move(identity), membership);
}

}  // namespace caucus::bench
