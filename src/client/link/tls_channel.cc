#include "client/link/tls_channel.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <cerrno>

namespace caucus::client {
namespace {

using Clock = std::chrono::steady_clock;

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "the connection ended during the handshake" : out;
}

bool IsAddress(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

std::unique_ptr<TlsChannel> TlsChannel::Handshake(int fd, const std::string& host,
                                                  const std::string& ca_file,
                                                  Clock::time_point deadline, int cancel_fd,
                                                  std::string* error, Failure* failure) {
  *failure = Failure::kOther;
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) {
    *error = "TLS: " + OpenSslErrors();
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  const bool roots = ca_file.empty()
                         ? SSL_CTX_set_default_verify_paths(ctx) == 1
                         : SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr) == 1;
  if (!roots) {
    *error = ca_file.empty() ? "TLS: cannot load the system's trusted certificates: "
                             : "--ca " + ca_file + ": cannot load it: ";
    *error += OpenSslErrors();
    SSL_CTX_free(ctx);
    return nullptr;
  }
  SSL* ssl = SSL_new(ctx);
  std::unique_ptr<TlsChannel> channel(new TlsChannel(ctx, ssl));
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    *error = "TLS: " + OpenSslErrors();
    return nullptr;
  }
  if (IsAddress(host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, host.c_str());
    SSL_set1_host(ssl, host.c_str());
  }
  while (true) {
    const int rc = SSL_connect(ssl);
    if (rc == 1) break;
    const int why = SSL_get_error(ssl, rc);
    if (why != SSL_ERROR_WANT_READ && why != SSL_ERROR_WANT_WRITE) {
      const long verify = SSL_get_verify_result(ssl);
      if (verify != X509_V_OK) {
        *failure = Failure::kCertificate;
        *error = "refusing the server's certificate: " +
                 std::string(X509_verify_cert_error_string(verify)) +
                 (ca_file.empty() ? " (if it is self-signed, give it with --ca FILE)"
                                  : " (checked against --ca " + ca_file + ")");
      } else {
        *error = "TLS handshake failed (is it a TLS port?): " + OpenSslErrors();
      }
      ERR_clear_error();
      return nullptr;
    }
    pollfd p[2] = {{fd, static_cast<short>(why == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0},
                   {cancel_fd, POLLIN, 0}};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    int n = 0;
    if (left > 0) {
      while ((n = ::poll(p, cancel_fd >= 0 ? 2 : 1, static_cast<int>(left))) < 0 &&
             errno == EINTR) {
      }
    }
    if (n <= 0 || (cancel_fd >= 0 && (p[1].revents & POLLIN))) {
      *error = n == 0 || left <= 0 ? "TLS handshake timed out" : "cancelled";
      return nullptr;
    }
  }
  *failure = Failure::kNone;
  return channel;
}

TlsChannel::~TlsChannel() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  SSL_CTX_free(ctx_);
}

ssize_t TlsChannel::Failed(int result) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      wants_ = POLLIN;
      errno = EAGAIN;
      return -1;
    case SSL_ERROR_WANT_WRITE:
      wants_ = POLLOUT;
      errno = EAGAIN;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    case SSL_ERROR_SYSCALL:
      ERR_clear_error();
      if (errno == 0) errno = ECONNRESET;
      return -1;
    default:
      ERR_clear_error();
      errno = EPROTO;
      return -1;
  }
}

ssize_t TlsChannel::Send(const void* data, size_t size) {
  ERR_clear_error();
  errno = 0;
  size_t written = 0;
  const int rc = SSL_write_ex(ssl_, data, size, &written);
  return rc == 1 ? static_cast<ssize_t>(written) : Failed(rc);
}

ssize_t TlsChannel::Recv(void* data, size_t size) {
  ERR_clear_error();
  errno = 0;
  size_t read = 0;
  const int rc = SSL_read_ex(ssl_, data, size, &read);
  return rc == 1 ? static_cast<ssize_t>(read) : Failed(rc);
}

}  // namespace caucus::client
