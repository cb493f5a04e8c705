#include "net/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509.h>

namespace caucus::net {

std::string OpenSslError() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown TLS error" : out;
}

std::shared_ptr<TlsContext> TlsContext::Load(const std::string& cert_file,
                                             const std::string& key_file, std::string* error) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) {
    *error = OpenSslError();
    return nullptr;
  }
  std::shared_ptr<TlsContext> out(new TlsContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  // TLS 1.2: ECDHE with AES-GCM or ChaCha20-Poly1305 only (TLS 1.3's suites are all AEAD).
  SSL_CTX_set_cipher_list(ctx,
                          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                          "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    *error = "--tls-cert " + cert_file + ": " + OpenSslError();
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    *error = "--tls-key " + key_file + ": " + OpenSslError();
    return nullptr;
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    *error = "--tls-key does not match --tls-cert: " + OpenSslError();
    return nullptr;
  }
  if (X509* cert = SSL_CTX_get0_certificate(ctx)) {
    char subject[256];
    X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
    out->summary_ = subject;
    const ASN1_TIME* until = X509_get0_notAfter(cert);
    if (BIO* bio = BIO_new(BIO_s_mem())) {
      ASN1_TIME_print(bio, until);
      char buf[64] = {};
      BIO_read(bio, buf, sizeof buf - 1);
      BIO_free(bio);
      out->summary_ += std::string(", valid until ") + buf;
    }
  }
  return out;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

}  // namespace caucus::net
