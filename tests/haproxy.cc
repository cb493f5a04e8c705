#include "haproxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace caucus::test {

namespace {

bool Accepts(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string HaProxy::Binary() {
  for (const char* p : {"/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy"}) {
    if (::access(p, X_OK) == 0) return p;
  }
  return {};
}

HaProxy::HaProxy(const std::vector<uint16_t>& backends, uint16_t port)
    : port_(port != 0 ? port : FreePort()) {
  const std::string binary = Binary();
  if (binary.empty()) throw std::runtime_error("haproxy is not installed");
  // TCP mode, as in scripts/cluster. A node that is down refuses at once:
  // the connection is tried again on another (redispatch), and checks
  // every half second take it out of the rotation until it is back.
  std::ostringstream cfg;
  cfg << "global\n"
      << "    maxconn 2000\n"
      << "defaults\n"
      << "    mode tcp\n"
      << "    timeout connect 1s\n"
      << "    timeout client 1h\n"
      << "    timeout server 1h\n"
      << "    retries 3\n"
      << "    option redispatch 1\n"
      << "frontend caucus\n"
      << "    bind 127.0.0.1:" << port_ << "\n"
      << "    default_backend nodes\n"
      << "backend nodes\n"
      << "    balance roundrobin\n";
  for (size_t i = 0; i < backends.size(); ++i) {
    cfg << "    server n" << i + 1 << " 127.0.0.1:" << backends[i]
        << " check inter 500ms fall 2 rise 1\n";
  }
  const std::string config = dir_.path() + "/haproxy.cfg";
  std::ofstream(config) << cfg.str();
  const std::string log = dir_.path() + "/haproxy.log";
  pid_ = ::fork();
  if (pid_ == 0) {
    // Gone with the test if the test dies before stopping it.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    for (int other = 3; other < 1024; ++other) ::close(other);  // the test's own connections
    // -db: in the foreground, so that the pid is haproxy's own.
    ::execl(binary.c_str(), binary.c_str(), "-db", "-f", config.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 500; ++i) {  // until it accepts, for at most 10 s
    if (Accepts(port_)) return;
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Stop();
  throw std::runtime_error("haproxy did not start: " + Log());
}

HaProxy::~HaProxy() { Stop(); }

void HaProxy::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string HaProxy::Log() const {
  std::ifstream in(dir_.path() + "/haproxy.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace caucus::test
