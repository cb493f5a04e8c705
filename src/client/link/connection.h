// Connection: one TCP connection to the server, non-blocking, over TLS when
// the endpoint asks for it, split into lines with the protocol's
// LineFramer. Socket I/O only; the protocol is Session's business.
//
// Thread-safety: none.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "client/link/endpoint.h"
#include "client/link/tls_channel.h"
#include "protocol/framer.h"

namespace caucus::client {

class Connection {
 public:
  // Connects to `endpoint`, trying each of its addresses (IPv6 and IPv4)
  // for at most `timeout` in all. Gives up early when `cancel_fd` (-1 for
  // none) becomes readable. With endpoint.tls, runs the TLS handshake
  // and verifies the server's certificate. Returns null with *error in
  // words on failure; *bad_certificate tells whether the certificate was
  // refused.
  static std::unique_ptr<Connection> Open(const Endpoint& endpoint,
                                          std::chrono::milliseconds timeout, int cancel_fd,
                                          std::string* error, bool* bad_certificate);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const { return fd_; }

  // Writes all of `bytes`, waiting while the socket is full. Returns false
  // when the connection is broken.
  bool Write(std::string_view bytes);

  // Reads what the socket holds now, without waiting. Returns false once
  // the server closed the connection or it failed; lines read before that
  // stay available from NextLine().
  bool Read();

  // The next complete line received (without LF and CR), if any. A line
  // longer than the framer's limit is dropped.
  std::optional<std::string> NextLine();

 private:
  Connection(int fd, std::unique_ptr<TlsChannel> tls);
  ssize_t Send(const char* data, size_t size);
  ssize_t Recv(char* data, size_t size);

  int fd_;
  std::unique_ptr<TlsChannel> tls_;  // null for plain TCP
  protocol::LineFramer framer_;
};

}  // namespace caucus::client
