// NatsServer: a real nats-server on a free loopback port, for tests; stopped
// (by pid) when destroyed. Restart() brings it back on the same port, as a
// broker restarting would.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace caucus::bus::testing {

class NatsServer {
 public:
  // The path of nats-server, or empty when it is not installed.
  static std::string Binary();

  NatsServer();  // throws std::runtime_error when it cannot start
  ~NatsServer();

  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  uint16_t port() const { return port_; }
  void Stop();
  void Start();

 private:
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace caucus::bus::testing
