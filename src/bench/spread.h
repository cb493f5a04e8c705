// Spreading the connections of one run over several servers (the nodes of
// a cluster): connection i goes to server i mod n, except where a workload
// places its users itself (the dm workload's pairs).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace caucus::bench {

// The server of connection `index`: index mod `servers`.
// REQUIRES: servers >= 1, index >= 0.
int ServerFor(int64_t index, int servers);

// How many of connections 0..total-1 ServerFor() sends to `server`.
// REQUIRES: 0 <= server < servers, total >= 0.
int64_t ConnectionsOn(int server, int64_t total, int servers);

// Where the two members of a dm pair connect.
enum class PairsOn {
  kByIndex,  // as every connection: users 2p and 2p + 1 by ServerFor()
  kSame,     // both members of pair p on server p mod n
  kAcross,   // the first on server p mod n, the second on the next one
};

// "same" or "across"; nullopt otherwise.
std::optional<PairsOn> ParsePairsOn(std::string_view name);
const char* PairsOnName(PairsOn p);  // "index", "same", "across"

struct PairServers {
  int first;
  int second;
};

// The servers of the two members of pair `pair`. Across puts every pair on
// two different servers and each server first in as many pairs as second
// (within one), so the load stays even.
// REQUIRES: servers >= 1 (>= 2 for kAcross), pair >= 0.
PairServers ServersOfPair(int64_t pair, int servers, PairsOn how);

}  // namespace caucus::bench
