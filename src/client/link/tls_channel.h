// TlsChannel: the client's side of TLS (OpenSSL) on a connected,
// non-blocking socket. The handshake verifies the server's certificate
// against the system's trusted roots, or only against --ca FILE when given,
// and checks that it names the host connected to (a DNS name, or an IP
// address for an address literal). TLS 1.2 at least.
//
// Thread-safety: none.
#pragma once

#include <openssl/ssl.h>
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

namespace caucus::client {

class TlsChannel {
 public:
  enum class Failure {
    kNone,
    kCertificate,  // the server's certificate is not trusted or names another host
    kOther,        // not TLS, a broken handshake, a timeout
  };

  // Runs the handshake on `fd` for `host` until `deadline` (or until
  // `cancel_fd`, -1 for none, becomes readable). Returns null with *error in
  // words and *failure set when it fails.
  static std::unique_ptr<TlsChannel> Handshake(int fd, const std::string& host,
                                               const std::string& ca_file,
                                               std::chrono::steady_clock::time_point deadline,
                                               int cancel_fd, std::string* error, Failure* failure);
  ~TlsChannel();
  TlsChannel(const TlsChannel&) = delete;
  TlsChannel& operator=(const TlsChannel&) = delete;

  // Like send(2) and recv(2) on a non-blocking socket: the bytes moved, 0
  // at the end of the stream (Recv), or -1 with errno EAGAIN when the
  // socket must become ready first (see wants()) or another errno.
  ssize_t Send(const void* data, size_t size);
  ssize_t Recv(void* data, size_t size);
  // What to poll() for after EAGAIN: POLLIN or POLLOUT.
  short wants() const { return wants_; }

 private:
  TlsChannel(SSL_CTX* ctx, SSL* ssl) : ctx_(ctx), ssl_(ssl) {}
  // Turns a failed SSL_read/SSL_write result into -1 and errno.
  ssize_t Failed(int result);

  SSL_CTX* ctx_;
  SSL* ssl_;
  short wants_ = 0;
};

}  // namespace caucus::client
