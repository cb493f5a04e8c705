#include "net/tls_stream.h"

#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace caucus::net {
namespace {

// TLS records carry at most 16 KiB: gather that much per SSL_write.
constexpr size_t kRecord = 16 * 1024;

}  // namespace

std::unique_ptr<TlsStream> TlsStream::Make(std::shared_ptr<TlsContext> context, int fd) {
  SSL* ssl = SSL_new(context->get());
  if (ssl == nullptr) return nullptr;
  if (SSL_set_fd(ssl, fd) != 1) {
    SSL_free(ssl);
    return nullptr;
  }
  SSL_set_accept_state(ssl);
  return std::unique_ptr<TlsStream>(new TlsStream(std::move(context), ssl));
}

TlsStream::~TlsStream() { SSL_free(ssl_); }

ByteStream::Io TlsStream::Classify(int result) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      return Io::kWantRead;
    case SSL_ERROR_WANT_WRITE:
      return Io::kWantWrite;
    case SSL_ERROR_ZERO_RETURN:
      return Io::kEof;
    default:
      ERR_clear_error();
      return Io::kError;
  }
}

ByteStream::Io TlsStream::Handshake() {
  const int r = SSL_do_handshake(ssl_);
  return r == 1 ? Io::kOk : Classify(r);
}

ByteStream::Io TlsStream::Read(char* buf, size_t cap, size_t* n) {
  const int r = SSL_read_ex(ssl_, buf, cap, n);
  return r == 1 ? Io::kOk : Classify(r);
}

ByteStream::Io TlsStream::Write(const iovec* iov, int count, size_t* n) {
  // One record's worth of the queued lines, copied together (OpenSSL writes
  // one buffer at a time). A retry after WANT_WRITE passes the same bytes.
  thread_local char record[kRecord];
  size_t len = 0;
  const size_t want = retry_length_ ? retry_length_ : kRecord;
  for (int i = 0; i < count && len < want; ++i) {
    const size_t take = std::min(iov[i].iov_len, want - len);
    std::memcpy(record + len, iov[i].iov_base, take);
    len += take;
  }
  const int r = SSL_write_ex(ssl_, record, len, n);
  if (r == 1) {
    retry_length_ = 0;
    return Io::kOk;
  }
  const Io io = Classify(r);
  retry_length_ = io == Io::kWantRead || io == Io::kWantWrite ? len : 0;
  return io;
}

void TlsStream::ShutdownWrite() {
  SSL_shutdown(ssl_);  // close_notify; the peer's is not waited for
  ERR_clear_error();
  ::shutdown(SSL_get_fd(ssl_), SHUT_WR);
}

}  // namespace caucus::net
