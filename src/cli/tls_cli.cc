#include "cli/tls_cli.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "net/tls_context.h"

namespace caucus::cli {

using server::ServerOptions;
namespace {

// True for an IPv4 or IPv6 literal, which goes into the certificate as an
// IP entry (a DNS entry would never match a connection to that address).
bool IsAddress(const std::string& name) {
  unsigned char buf[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, name.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Ext = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

bool AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool WritePem(const std::string& path, mode_t mode, const std::function<bool(FILE*)>& write) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  ::chmod(path.c_str(), mode);
  const bool ok = write(f);
  return std::fclose(f) == 0 && ok;
}

int SelfSigned(const std::string& dir, const std::vector<std::string>& names, int days) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  Key key(EVP_EC_gen("P-256"));
  Cert cert(X509_new());
  if (!key || !cert) {
    std::cerr << "caucusd: " << net::OpenSslError() << "\n";
    return 1;
  }
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_set_version(cert.get(), 2);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  const std::string cn = names.empty() ? "localhost" : names.front();
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  for (const auto& n : names) san += (IsAddress(n) ? ",IP:" : ",DNS:") + n;
  const bool ok =
      AddExtension(cert.get(), NID_subject_alt_name, san) &&
      AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") &&
      AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign") &&
      AddExtension(cert.get(), NID_ext_key_usage, "serverAuth") &&
      X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
  if (!ok) {
    std::cerr << "caucusd: cannot make the certificate: " << net::OpenSslError() << "\n";
    return 1;
  }
  const std::string key_path = dir + "/key.pem";
  const std::string cert_path = dir + "/cert.pem";
  if (!WritePem(key_path, 0600,
                [&](FILE* f) {
                  return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr,
                                              nullptr) == 1;
                }) ||
      !WritePem(cert_path, 0644, [&](FILE* f) { return PEM_write_X509(f, cert.get()) == 1; })) {
    std::cerr << "caucusd: cannot write " << dir << "\n";
    return 1;
  }
  std::cout << "wrote " << cert_path << " and " << key_path << " (" << san << ", " << days
            << " days)\n"
            << "serve with: caucusd --tls-cert " << cert_path << " --tls-key " << key_path << "\n"
            << "connect with: caucus --tls --ca " << cert_path << " localhost 5546\n";
  return 0;
}

}  // namespace

void AddTlsCommands(CLI::App& app, ServerOptions*, std::function<int()>* run) {
  auto* tls = app.add_subcommand("tls", "TLS certificates");
  tls->require_subcommand(1);
  tls->fallthrough();  // --data, --config after the subcommand, as for the others
  auto dir = std::make_shared<std::string>();
  auto names = std::make_shared<std::vector<std::string>>();
  auto days = std::make_shared<int>(365);
  auto* self = tls->add_subcommand(
      "self-signed", "Make DIR/cert.pem and DIR/key.pem, a self-signed certificate to try TLS");
  self->add_option("DIR", *dir, "Directory to write to")->required();
  self->fallthrough();
  self->add_option("--name", *names, "A host name or address it is valid for (repeatable)");
  self->add_option("--days", *days, "Days it stays valid")->check(CLI::Range(1, 3650));
  self->callback([=] { *run = [=] { return SelfSigned(*dir, *names, *days); }; });
}

}  // namespace caucus::cli
