// ByteStream: how a connection moves bytes over its socket: as they are
// (PlainStream), or inside TLS (TlsStream, tls_stream.h). Both work on a
// non-blocking socket and say when they need it to become readable or
// writable, so the connection can wait with the event loop.
//
// Thread-safety: none (one connection, one thread).
#pragma once

#include <sys/uio.h>

#include <cstddef>

namespace caucus::net {

class ByteStream {
 public:
  enum class Io {
    kOk,         // done (some bytes moved, or the handshake finished)
    kWantRead,   // wait until the socket is readable, then call again
    kWantWrite,  // wait until the socket is writable, then call again
    kEof,        // the peer closed
    kError,      // the connection is broken
  };
  virtual ~ByteStream() = default;

  // Completes the handshake, if the stream has one.
  virtual Io Handshake() { return Io::kOk; }
  // Reads at most `cap` bytes into `buf`; sets `*n` on kOk.
  virtual Io Read(char* buf, size_t cap, size_t* n) = 0;
  // True when a read that returned fewer bytes than asked emptied the
  // socket's receive queue (a plain socket: the kernel hands over all it
  // has). Not TLS: OpenSSL may hold decrypted bytes back.
  virtual bool short_read_drains() const { return false; }
  // Writes from the buffers, in order; sets `*n` (bytes taken) on kOk.
  virtual Io Write(const iovec* iov, int count, size_t* n) = 0;
  // No more writes: sends the close (TLS close_notify, then TCP FIN).
  virtual void ShutdownWrite() = 0;
};

class PlainStream final : public ByteStream {
 public:
  explicit PlainStream(int fd) : fd_(fd) {}
  Io Read(char* buf, size_t cap, size_t* n) override;
  bool short_read_drains() const override { return true; }
  Io Write(const iovec* iov, int count, size_t* n) override;
  void ShutdownWrite() override;

 private:
  int fd_;
};

}  // namespace caucus::net
