#include "bench/spread.h"

namespace caucus::bench {

int ServerFor(int64_t index, int servers) { return static_cast<int>(index % servers); }

int64_t ConnectionsOn(int server, int64_t total, int servers) {
  return total / servers + (server < total % servers ? 1 : 0);
}

std::optional<PairsOn> ParsePairsOn(std::string_view name) {
  if (name == "same") return PairsOn::kSame;
  if (name == "across") return PairsOn::kAcross;
  return std::nullopt;
}

const char* PairsOnName(PairsOn p) {
  switch (p) {
    case PairsOn::kByIndex:
      return "index";
    case PairsOn::kSame:
      return "same";
    case PairsOn::kAcross:
      return "across";
  }
  return "?";
}

PairServers ServersOfPair(int64_t pair, int servers, PairsOn how) {
  switch (how) {
    case PairsOn::kSame:
      return {ServerFor(pair, servers), ServerFor(pair, servers)};
    case PairsOn::kAcross:
      return {ServerFor(pair, servers), ServerFor(pair + 1, servers)};
    case PairsOn::kByIndex:
      break;
  }
  return {ServerFor(2 * pair, servers), ServerFor(2 * pair + 1, servers)};
}

}  // namespace caucus::bench
