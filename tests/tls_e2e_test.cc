// End to end: TLS listeners (login and messaging over TLS, TLS 1.2 at
// least, a certificate the client does not trust is refused, SIGHUP reloads
// the certificate without dropping connections) and the warning about plain
// TCP off loopback. The client side here is OpenSSL itself, verifying like
// any careful client would; the real caucus client's --tls is tested in
// client_e2e_test.cc.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness.h"

namespace caucus::test {
namespace {

namespace fs = std::filesystem;

// A blocking TLS connection that trusts only `ca_file` and checks that the
// certificate is valid for `ip`.
class TlsClient {
 public:
  TlsClient(const std::string& ip, uint16_t port, const std::string& ca_file, int max_version = 0) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_security_level(ctx_, 0);  // let the server be the one to refuse old versions
    if (max_version) {
      SSL_CTX_set_min_proto_version(ctx_, 0);
      SSL_CTX_set_max_proto_version(ctx_, max_version);
    }
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1) {
      error_ = "cannot load " + ca_file;
      return;
    }
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      error_ = "connect failed";
      return;
    }
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), ip.c_str());
    if (SSL_connect(ssl_) != 1) {
      const long verify = SSL_get_verify_result(ssl_);
      error_ = verify != X509_V_OK ? X509_verify_cert_error_string(verify) : "handshake failed";
      ERR_clear_error();
      return;
    }
    connected_ = true;
    hello_ = ReadLine();
  }
  ~TlsClient() {
    if (ssl_) SSL_free(ssl_);
    if (fd_ >= 0) ::close(fd_);
    SSL_CTX_free(ctx_);
  }

  bool connected() const { return connected_; }
  const std::string& error() const { return error_; }
  const std::string& hello() const { return hello_; }
  int version() const { return SSL_version(ssl_); }
  // The subject of the server's certificate.
  std::string PeerSubject() const {
    X509* cert = SSL_get1_peer_certificate(ssl_);
    if (cert == nullptr) return {};
    char buf[256];
    X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
    X509_free(cert);
    return buf;
  }

  void Send(const std::string& line) {
    const std::string bytes = line + "\n";
    ASSERT_EQ(SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())),
              static_cast<int>(bytes.size()));
  }
  // The next line; empty at the end of the stream (lines are never empty).
  std::string ReadLine() {
    while (true) {
      const size_t lf = buf_.find('\n');
      if (lf != std::string::npos) {
        std::string line = buf_.substr(0, lf);
        buf_.erase(0, lf + 1);
        return line;
      }
      char chunk[4096];
      const int n = SSL_read(ssl_, chunk, sizeof chunk);
      if (n <= 0) return {};
      buf_.append(chunk, static_cast<size_t>(n));
    }
  }
  // Sends `line` and returns the final OK/ERR line of its reply; events
  // that come first are kept in events_.
  std::string Cmd(const std::string& line) {
    Send(line);
    while (true) {
      std::string got = ReadLine();
      if (got.empty() || got.rfind("OK ", 0) == 0 || got.rfind("ERR ", 0) == 0) return got;
      events_.push_back(got);
    }
  }
  // Waits for an event line starting with `prefix`.
  std::string WaitEvent(const std::string& prefix) {
    for (auto& e : events_) {
      if (e.rfind(prefix, 0) == 0) return e;
    }
    while (true) {
      std::string got = ReadLine();
      if (got.empty() || got.rfind(prefix, 0) == 0) return got;
    }
  }

 private:
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool connected_ = false;
  std::string error_;
  std::string hello_;
  std::string buf_;
  std::vector<std::string> events_;
};

// Makes DIR/cert.pem and DIR/key.pem with `caucusd tls self-signed`.
void SelfSigned(const ServerProcess& any, const std::string& dir,
                const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"tls", "self-signed", dir};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string out;
  ASSERT_EQ(any.Cli(args, "", &out), 0) << out;
}

class TlsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    // A throwaway server only to run `caucusd tls self-signed`.
    ServerProcess tool;
    first_ = certs_.path() + "/first";
    second_ = certs_.path() + "/second";
    live_ = certs_.path() + "/live";
    SelfSigned(tool, first_, {"--name", "first.example"});
    SelfSigned(tool, second_, {"--name", "second.example"});
    fs::create_directories(live_);
    Install(first_);
  }
  // Copies DIR's certificate and key to where the server reads them.
  void Install(const std::string& dir) {
    for (const char* f : {"cert.pem", "key.pem"}) {
      fs::copy_file(dir + "/" + f, live_ + "/" + f, fs::copy_options::overwrite_existing);
    }
  }
  std::vector<std::string> TlsOptions() const {
    return {"--tls-cert",   live_ + "/cert.pem", "--tls-key",  live_ + "/key.pem",
            "--tls-listen", "127.0.0.1",         "--tls-port", "0"};
  }

  TempDir certs_;
  std::string first_, second_, live_;
};

TEST_F(TlsE2E, LoginAndMessagingOverTls) {
  ServerProcess server(TlsOptions());
  ASSERT_NE(server.tls_port(), 0);
  const std::string alice = FreshName("alice"), bob = FreshName("bob");
  TlsClient a("127.0.0.1", server.tls_port(), first_ + "/cert.pem");
  ASSERT_TRUE(a.connected()) << a.error();
  EXPECT_EQ(a.hello().rfind("HELLO caucus/1", 0), 0u) << a.hello();
  EXPECT_GE(a.version(), TLS1_2_VERSION);
  EXPECT_NE(a.PeerSubject().find("first.example"), std::string::npos) << a.PeerSubject();
  EXPECT_EQ(a.Cmd("REGISTER " + alice + " password-123").rfind("OK REGISTER", 0), 0u);
  EXPECT_EQ(a.Cmd("LOGIN " + alice + " password-123").rfind("OK LOGIN", 0), 0u);

  // Bob over plain TCP on loopback, alice over TLS: they talk.
  auto b = LoggedIn(server, bob);
  EXPECT_EQ(a.Cmd("SEND " + bob + " :over tls").rfind("OK SEND", 0), 0u);
  EXPECT_NE(b->WaitEvent("MSG ").find(":over tls"), std::string::npos);
  ASSERT_TRUE(b->Cmd("SEND " + alice + " :back to tls").ok());
  EXPECT_NE(a.WaitEvent("MSG ").find(":back to tls"), std::string::npos);
  EXPECT_NE(server.Log().find("(TLS)"), std::string::npos);
}

TEST_F(TlsE2E, OlderThanTls12IsRefused) {
  ServerProcess server(TlsOptions());
  TlsClient old("127.0.0.1", server.tls_port(), first_ + "/cert.pem", TLS1_1_VERSION);
  EXPECT_FALSE(old.connected());
  // ...and the server goes on serving TLS.
  TlsClient fine("127.0.0.1", server.tls_port(), first_ + "/cert.pem");
  EXPECT_TRUE(fine.connected()) << fine.error();
}

TEST_F(TlsE2E, ACertificateTheClientDoesNotTrustIsRefused) {
  ServerProcess server(TlsOptions());
  TlsClient wrong("127.0.0.1", server.tls_port(), second_ + "/cert.pem");
  EXPECT_FALSE(wrong.connected());
  EXPECT_NE(wrong.error().find("certificate"), std::string::npos) << wrong.error();
  TlsClient right("127.0.0.1", server.tls_port(), first_ + "/cert.pem");
  EXPECT_TRUE(right.connected()) << right.error();
}

TEST_F(TlsE2E, ACertificateForAnotherAddressIsRefused) {
  // The certificate names 127.0.0.1 (and localhost, ::1, first.example),
  // not 127.0.0.2.
  std::vector<std::string> options = TlsOptions();
  options[5] = "127.0.0.2";
  ServerProcess server(options);
  TlsClient c("127.0.0.2", server.tls_port(), first_ + "/cert.pem");
  EXPECT_FALSE(c.connected());
  EXPECT_NE(c.error().find("mismatch"), std::string::npos) << c.error();
}

TEST_F(TlsE2E, SighupReloadsTheCertificateAndKeepsOpenConnections) {
  ServerProcess server(TlsOptions());
  const std::string alice = FreshName("alice"), bob = FreshName("bob");
  TlsClient before("127.0.0.1", server.tls_port(), first_ + "/cert.pem");
  ASSERT_TRUE(before.connected()) << before.error();
  ASSERT_EQ(before.Cmd("REGISTER " + alice + " password-123").rfind("OK", 0), 0u);
  ASSERT_EQ(before.Cmd("LOGIN " + alice + " password-123").rfind("OK", 0), 0u);

  Install(second_);
  ::kill(server.pid(), SIGHUP);
  ASSERT_TRUE(LogShows(server, "SIGHUP: TLS certificate reloaded")) << server.Log();

  // New connections get the new certificate...
  TlsClient after("127.0.0.1", server.tls_port(), second_ + "/cert.pem");
  ASSERT_TRUE(after.connected()) << after.error();
  EXPECT_NE(after.PeerSubject().find("second.example"), std::string::npos);
  TlsClient old_trust("127.0.0.1", server.tls_port(), first_ + "/cert.pem");
  EXPECT_FALSE(old_trust.connected());

  // ...and the connection opened before the reload still works both ways.
  ASSERT_EQ(after.Cmd("REGISTER " + bob + " password-123").rfind("OK", 0), 0u);
  ASSERT_EQ(after.Cmd("LOGIN " + bob + " password-123").rfind("OK", 0), 0u);
  EXPECT_EQ(before.Cmd("SEND " + bob + " :across the reload").rfind("OK SEND", 0), 0u);
  EXPECT_NE(after.WaitEvent("MSG ").find(":across the reload"), std::string::npos);
  EXPECT_EQ(after.Cmd("SEND " + alice + " :and back").rfind("OK SEND", 0), 0u);
  EXPECT_NE(before.WaitEvent("MSG ").find(":and back"), std::string::npos);
}

TEST_F(TlsE2E, ABrokenCertificateOnSighupKeepsTheOldOne) {
  ServerProcess server(TlsOptions());
  { std::ofstream(live_ + "/cert.pem") << "not a certificate\n"; }
  ::kill(server.pid(), SIGHUP);
  ASSERT_TRUE(LogShows(server, "TLS certificate not reloaded")) << server.Log();
  TlsClient c("127.0.0.1", server.tls_port(), first_ + "/cert.pem");
  EXPECT_TRUE(c.connected()) << c.error();
}

TEST(PlaintextWarningE2E, PlainTcpOffLoopbackWarnsAtStart) {
  ServerProcess server({"--listen", "0.0.0.0"});
  EXPECT_NE(server.Log().find("carries passwords in clear"), std::string::npos) << server.Log();
}

TEST(PlaintextWarningE2E, AllowPlaintextLoginsSilencesIt) {
  ServerProcess server({"--listen", "0.0.0.0", "--allow-plaintext-logins"});
  EXPECT_NE(server.Log().find("listening on 0.0.0.0"), std::string::npos) << server.Log();
  EXPECT_EQ(server.Log().find("carries passwords in clear"), std::string::npos) << server.Log();
}

TEST(PlaintextWarningE2E, LoopbackOnlyDoesNotWarn) {
  ServerProcess server;
  EXPECT_EQ(server.Log().find("carries passwords in clear"), std::string::npos) << server.Log();
}

}  // namespace
}  // namespace caucus::test
