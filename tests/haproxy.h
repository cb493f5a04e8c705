// HaProxy: Debian's haproxy in TCP mode on loopback, in front of the nodes
// of a cluster, for the end-to-end tests (the configuration is the one of
// scripts/cluster, with quick health checks and retries on another node
// when one refuses). Started in the foreground with a generated
// configuration, stopped by its pid when destroyed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "harness.h"

namespace caucus::test {

class HaProxy {
 public:
  // The path of haproxy, or empty when it is not installed.
  static std::string Binary();

  // Listens on loopback `port` (0: a free one) and spreads connections
  // round robin over 127.0.0.1:<backends>; a node that refuses is retried
  // on another. A proxy stopped and started again on its former port cuts
  // and restores a path. Throws std::runtime_error when it does not start.
  explicit HaProxy(const std::vector<uint16_t>& backends, uint16_t port = 0);
  ~HaProxy();
  HaProxy(const HaProxy&) = delete;
  HaProxy& operator=(const HaProxy&) = delete;

  uint16_t port() const { return port_; }
  std::string Log() const;

 private:
  void Stop();

  TempDir dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace caucus::test
