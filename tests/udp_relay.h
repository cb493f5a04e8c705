// UdpRelay: a UDP forwarder for tests and the benchmark that spoils the
// path on purpose. It listens on 127.0.0.1 (port()), and forwards what a
// client sends there to `target`, from a socket of its own per client, and
// the answers back to that client; every datagram, either way, is dropped
// with probability `loss`, sent twice with probability `duplicate`, and
// held back by up to `max_delay` with probability `reorder` (so that later
// datagrams overtake it).
//
// Thread-safety: runs on its own thread; counters may be read from any.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace caucus::test {

class UdpRelay {
 public:
  struct Impairment {
    double loss = 0;
    double duplicate = 0;
    double reorder = 0;
    std::chrono::microseconds max_delay{2000};
    uint64_t seed = 1;
  };

  // Forwards to 127.0.0.1:`target_port`.
  UdpRelay(uint16_t target_port, Impairment impairment);
  ~UdpRelay();
  UdpRelay(const UdpRelay&) = delete;

  uint16_t port() const { return port_; }
  uint64_t forwarded() const { return forwarded_.load(); }
  uint64_t dropped() const { return dropped_.load(); }
  uint64_t duplicated() const { return duplicated_.load(); }
  uint64_t delayed() const { return delayed_.load(); }

 private:
  void Run();

  uint16_t target_port_;
  Impairment impairment_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<uint64_t> forwarded_{0}, dropped_{0}, duplicated_{0}, delayed_{0};
  std::thread thread_;
};

}  // namespace caucus::test
