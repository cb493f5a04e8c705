// TlsStream: TLS (server side) over a non-blocking socket, with OpenSSL
// reading and writing the socket directly. Holds a reference to the
// context it was made with, so a certificate reload leaves it alone.
#pragma once

#include <openssl/ssl.h>

#include <memory>

#include "net/byte_stream.h"
#include "net/tls_context.h"

namespace caucus::net {

class TlsStream final : public ByteStream {
 public:
  // Null if OpenSSL cannot make the session.
  static std::unique_ptr<TlsStream> Make(std::shared_ptr<TlsContext> context, int fd);
  ~TlsStream() override;

  Io Handshake() override;
  Io Read(char* buf, size_t cap, size_t* n) override;
  Io Write(const iovec* iov, int count, size_t* n) override;
  void ShutdownWrite() override;

 private:
  TlsStream(std::shared_ptr<TlsContext> context, SSL* ssl)
      : context_(std::move(context)), ssl_(ssl) {}
  Io Classify(int result);

  std::shared_ptr<TlsContext> context_;
  SSL* ssl_;
  size_t retry_length_ = 0;  // a write that must be retried with exactly these bytes
};

}  // namespace caucus::net
