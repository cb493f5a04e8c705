// Sockets for peer to peer: addresses, binding, and UDP datagrams sent in
// sendmmsg batches.
//
// Thread-safety: none (each object belongs to the agent's thread).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "p2p/outbox.h"

namespace caucus::client {

constexpr size_t kPeerBatch = 64;  // datagrams per sendmmsg/recvmmsg

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  // The bytes that tell two peers apart: family, port and address.
  std::string Key() const;
  // "127.0.0.1:5000" or "[::1]:5000".
  std::string Text() const;
};

// `host` (a numeric address) and `port` as an address for a socket of
// `family` (AF_INET6 sockets reach IPv4 peers through mapped addresses);
// family 0: whatever the host is. False when `host` is no address.
bool Resolve(const std::string& host, uint16_t port, int family, int socktype, Address* out);

// A non-blocking socket of `type` bound to every address on `port`: IPv6
// taking IPv4 too when the system has IPv6, else IPv4; its family goes to
// *family. -1 with *error when it cannot.
int BindAny(int type, uint16_t port, int* family, std::string* error);

// The port a socket is bound to.
uint16_t LocalPort(int fd);

// Datagrams to send, each to its address, flushed with sendmmsg. The
// buffers must stay unchanged until Flush().
class UdpBatch {
 public:
  void Add(const Address& to, const std::string& bytes) { items_.push_back({&to, &bytes}); }
  void AddAll(const Address& to, const p2p::Outbox& out) {
    for (size_t i = 0; i < out.size(); ++i) Add(to, out[i]);
  }
  // Sends everything; a datagram the kernel will not take now is dropped
  // (the protocol recovers it as a loss).
  void Flush(int fd);

 private:
  struct Item {
    const Address* to;
    const std::string* bytes;
  };
  std::vector<Item> items_;
};

}  // namespace caucus::client
