// TlsContext: the server's TLS settings and certificate (OpenSSL).
//
// TLS 1.2 at least, 1.3 preferred; forward-secret AEAD ciphers only; no
// renegotiation; buffers released while a connection is idle, so an idle
// TLS session costs little more than a plain one. A context is immutable
// once loaded: reloading the certificate (SIGHUP) makes a new one, which
// new connections use while existing ones keep theirs.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace caucus::net {

class TlsContext {
 public:
  // Loads the certificate chain and key (PEM). Returns null and sets
  // *error when they cannot be loaded or do not match.
  static std::shared_ptr<TlsContext> Load(const std::string& cert_file, const std::string& key_file,
                                          std::string* error);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* get() const { return ctx_; }
  // The certificate's subject and expiry, for logs.
  const std::string& summary() const { return summary_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
  std::string summary_;
};

// The last OpenSSL error as text (and clears the queue).
std::string OpenSslError();

}  // namespace caucus::net
