// BenchContext: what every workload shares: the servers under test (one,
// or the nodes of a cluster), how to reach them, and the generator's own
// settings. Built once by main().
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/account_pool.h"
#include "bench/connection.h"
#include "bench/protocol_adapter.h"

namespace caucus::bench {

struct BenchContext {
  Protocol protocol = Protocol::kCaucus;
  // Connection i goes to servers[i mod n] (bench/spread.h). REQUIRES: not empty.
  std::vector<sockaddr_in> servers;
  // The servers' processes, for their CPU time and memory, summed; when
  // there is one per server, server_pids[k] runs servers[k]. Empty: unknown,
  // so no server CPU or memory figures.
  std::vector<int> server_pids;
  int threads = 1;             // event loops, one thread each
  double timeout_s = 120;      // for each phase of a run
  int in_flight = 16;          // handshakes in flight per loop while connecting
  int64_t per_source = 20000;  // connections per loopback source address
  std::string name_prefix = "b";
  AccountPool* accounts = nullptr;  // Caucus only

  // A steady-clock deadline `timeout_s` from now.
  int64_t Deadline() const;

  int server_count() const { return static_cast<int>(servers.size()); }

  // The endpoints of connection `index` out of `total`, on server
  // ServerFor(index).
  Endpoints EndpointsFor(int64_t index, int64_t total) const;
  // The same on servers[server]. REQUIRES: 0 <= server < server_count().
  Endpoints EndpointsOn(int server, int64_t index, int64_t total) const;

  // The identity of user `index`: an account of the pool for Caucus, the
  // name <prefix><index> elsewhere.
  Identity IdentityFor(int64_t index) const;

  std::unique_ptr<ProtocolAdapter> AdapterFor(int64_t index, Membership membership) const;
  std::unique_ptr<ProtocolAdapter> AdapterFor(Identity identity, Membership membership) const;
};

}  // namespace caucus::bench
