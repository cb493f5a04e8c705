// BenchContext: what every workload shares: the server under test, how to
// reach it, and the generator's own settings. Built once by main().
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <string>

#include "bench/account_pool.h"
#include "bench/connection.h"
#include "bench/protocol_adapter.h"

namespace caucus::bench {

struct BenchContext {
  Protocol protocol = Protocol::kCaucus;
  sockaddr_in server{};
  int server_pid = 0;          // 0: unknown, so no server CPU or memory figures
  int threads = 1;             // event loops, one thread each
  double timeout_s = 120;      // for each phase of a run
  int in_flight = 16;          // handshakes in flight per loop while connecting
  int64_t per_source = 20000;  // connections per loopback source address
  std::string name_prefix = "b";
  AccountPool* accounts = nullptr;  // Caucus only

  // A steady-clock deadline `timeout_s` from now.
  int64_t Deadline() const;

  // The endpoints of connection `index` out of `total`.
  Endpoints EndpointsFor(int64_t index, int64_t total) const;

  // The identity of user `index`: an account of the pool for Caucus, the
  // name <prefix><index> elsewhere.
  Identity IdentityFor(int64_t index) const;

  std::unique_ptr<ProtocolAdapter> AdapterFor(int64_t index, Membership membership) const;
  std::unique_ptr<ProtocolAdapter> AdapterFor(Identity identity, Membership membership) const;
};

}  // namespace caucus::bench
