// End to end: storage faults. The disk fills up under a running caucusd. Writes fail with
// ERR ... INTERNAL and a log line, reads keep working, nothing acknowledged
// is lost, and writes work again as soon as there is room.
//
// "Full" is the real thing as the kernel delivers it to one process: a file
// size limit (RLIMIT_FSIZE, set on the running server with prlimit(2)) makes
// every write past it fail with EFBIG, as ENOSPC would; caucusd ignores
// SIGXFSZ so the write fails instead of killing it. Raising the limit is
// space coming back. No test hook in the server.
//
// And a data directory the server may not write to (permissions; as root
// the server runs as nobody so that they apply).
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "harness.h"
#include "web_client.h"

namespace caucus::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

uintmax_t SizeOr0(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : n;
}

// Sets the soft limit (the one enforced) on the size of any file `pid`
// writes; RLIM_INFINITY puts it back to the hard limit.
void SetFileSizeLimit(pid_t pid, rlim_t bytes) {
  rlimit old{};
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, nullptr, &old), 0);
  rlimit limit{bytes == RLIM_INFINITY ? old.rlim_max : std::min(bytes, old.rlim_max), old.rlim_max};
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &limit, nullptr), 0);
}

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_exec(
        db, "PRAGMA integrity_check",
        [](void* arg, int, char** values, char**) {
          *static_cast<std::string*>(arg) += values[0];
          return 0;
        },
        &out, nullptr);
  }
  sqlite3_close(db);
  return out;
}

std::map<int, std::string> Board(Client& c) {
  auto r = c.Cmd("READ");
  EXPECT_TRUE(r.ok()) << r.final;
  std::map<int, std::string> out;
  for (const auto& line : r.data) {
    auto p = Params(line);
    out[std::stoi(p[1])] = p.back();
  }
  return out;
}

TEST(DiskFullE2E, WritesFailReadsWorkNothingIsLostAndTheServerRecovers) {
  TempDir data;
  ServerProcess server({"--commands-per-second", "0"}, data.path());
  const std::string db = data.path() + "/caucus.db";
  const std::string bob = FreshName("bob");
  Register(server, bob);
  auto alice = LoggedIn(server, FreshName("alice"));
  // On failure, the end of the server's log says why.
  struct ShowLog {
    const ServerProcess& server;
    ~ShowLog() {
      if (std::uncaught_exceptions() > 0 || ::testing::Test::HasFailure()) {
        const std::string log = server.Log();
        std::cerr << "server log (end):\n" << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
      }
    }
  } show_log{server};

  std::map<int, std::string> acked;
  const std::string filler(3000, 'x');
  int n = 0;
  auto post = [&](Client& c) {
    const std::string text = "post " + std::to_string(++n) + " " + filler;
    auto r = c.Cmd("POST :" + text);
    if (r.ok()) acked[std::stoi(r.params[2])] = text;
    return r;
  };
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(post(*alice).ok());

  // The disk is now nearly full: a few hundred kB left for any file.
  const uintmax_t biggest = std::max({SizeOr0(db), SizeOr0(db + "-wal"), SizeOr0(db + "-shm"),
                                      SizeOr0(data.path() + "/server.log")});
  SetFileSizeLimit(server.pid(), biggest + 256 * 1024);
  Reply failed;
  for (int i = 0; i < 5000 && failed.final.empty(); ++i) {
    auto r = post(*alice);
    if (!r.ok()) failed = r;
  }
  ASSERT_FALSE(failed.final.empty()) << "the disk never filled up";
  EXPECT_EQ(failed.code(), "INTERNAL") << failed.final;
  // A load balancer stops sending new users; the server itself stays up.
  EXPECT_EQ(HttpRequest(server.http_port(), "/readyz").result(),
            boost::beast::http::status::service_unavailable);
  EXPECT_EQ(HttpRequest(server.http_port(), "/healthz").result(), boost::beast::http::status::ok);
  const std::string metrics = HttpRequest(server.http_port(), "/metrics").body();
  EXPECT_NE(metrics.find("\ncaucus_store_writable 0\n"), std::string::npos) << metrics;
  const std::string log = server.Log();
  EXPECT_NE(log.find("error store: "), std::string::npos) << log.substr(log.size() - 2000);

  // Still full: other writes fail the same way, and the server stays up.
  auto again = post(*alice);
  EXPECT_EQ(again.code(), "INTERNAL") << again.final;
  auto send = alice->Cmd("SEND " + bob + " :while the disk is full");
  EXPECT_EQ(send.code(), "INTERNAL") << send.final;

  // Reads work, and show every acknowledged post.
  EXPECT_TRUE(alice->Cmd("PING").ok());
  EXPECT_TRUE(alice->Cmd("WHO").ok());
  EXPECT_EQ(Board(*alice), acked);
  auto history = alice->Cmd("HISTORY " + bob);
  EXPECT_TRUE(history.ok()) << history.final;

  // Space comes back: the next write works, with no restart.
  SetFileSizeLimit(server.pid(), RLIM_INFINITY);
  auto back = post(*alice);
  EXPECT_TRUE(back.ok()) << back.final;
  auto sent = alice->Cmd("SEND " + bob + " :room again");
  EXPECT_TRUE(sent.ok()) << sent.final;
  EXPECT_EQ(HttpRequest(server.http_port(), "/readyz").result(), boost::beast::http::status::ok);
  EXPECT_NE(HttpRequest(server.http_port(), "/metrics").body().find("\ncaucus_store_writable 1\n"),
            std::string::npos);
  EXPECT_EQ(Board(*alice), acked);

  // And all of it survives a crash.
  server.Kill9();
  EXPECT_EQ(IntegrityCheck(db), "ok");
  server.Start();
  auto reader = LoggedIn(server, FreshName("reader"));
  EXPECT_EQ(Board(*reader), acked);
  auto inbox = [&] {
    auto c = std::make_unique<Client>("127.0.0.1", server.port());
    EXPECT_TRUE(c->Cmd("LOGIN " + bob + " password-123").ok());
    return c;
  }();
  EXPECT_NE(inbox->WaitEvent("MSG ").find(":room again"), std::string::npos);
  EXPECT_FALSE(inbox->EventArrives("MSG ", 200ms));
}

// Starts caucusd on `data` as the user `uid` (when running as root, so that
// file permissions apply to it), writing its ports to `ports` and its log to
// `log`; returns its pid.
pid_t StartAs(uid_t uid, const std::string& data, const std::string& ports,
              const std::string& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    if (::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setgid(uid) != 0 || ::setuid(uid) != 0)) {
      ::_exit(126);
    }
    ::execl(CAUCUSD_PATH, CAUCUSD_PATH, "--listen", "127.0.0.1", "--port", "0", "--data",
            data.c_str(), "--ports-file", ports.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

uint16_t WaitForPort(const std::string& ports, pid_t pid) {
  for (int i = 0; i < 1500; ++i) {
    std::ifstream in(ports);
    std::string address;
    int port = 0;
    if (in >> address >> port && port > 0) return static_cast<uint16_t>(port);
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return 0;
    std::this_thread::sleep_for(20ms);
  }
  return 0;
}

void ChownTree(const std::string& dir, uid_t uid) {
  ::chown(dir.c_str(), uid, uid);
  for (auto& e : fs::recursive_directory_iterator(dir)) ::chown(e.path().c_str(), uid, uid);
}

// The data directory is read-only to the server (the database file and the
// directory without write permission): it starts, sessions resume and read,
// every write fails with INTERNAL and a log line, nothing already there is
// lost, and once the directory is writable again a restart writes.
TEST(ReadOnlyDataE2E, WritesFailReadsWorkAndARestartWritesAgain) {
  TempDir data, run;
  std::string token;
  const std::string alice = FreshName("alice");
  {
    ServerProcess server({}, data.path());
    auto c = LoggedIn(server, alice, "password-123", &token);
    ASSERT_TRUE(c->Cmd("POST :written before").ok());
    c.reset();
    ASSERT_EQ(server.Stop(SIGTERM), 0);
  }
  // Root ignores permissions: run the server as nobody then.
  const uid_t uid = ::geteuid() == 0 ? 65534 : ::geteuid();
  ::chmod(run.path().c_str(), 0777);
  ::chmod(data.path().c_str(), 0755);  // TempDir makes it 0700
  ChownTree(data.path(), uid);
  for (auto& e : fs::directory_iterator(data.path())) {
    if (e.is_regular_file()) ::chmod(e.path().c_str(), 0444);
  }
  ::chmod(data.path().c_str(), 0555);

  const std::string log = run.path() + "/server.log";
  const pid_t pid = StartAs(uid, data.path(), run.path() + "/ports", log);
  auto read_log = [&] {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const uint16_t port = WaitForPort(run.path() + "/ports", pid);
  ASSERT_NE(port, 0) << read_log();
  {
    Client c("127.0.0.1", port);
    auto r = c.Cmd("RESUME " + token);
    ASSERT_TRUE(r.ok()) << r.final << "\n" << read_log();
    auto board = c.Cmd("READ");
    ASSERT_TRUE(board.ok()) << board.final;
    ASSERT_EQ(board.data.size(), 1u);
    EXPECT_EQ(Params(board.data[0]).back(), "written before");
    auto post = c.Cmd("POST :cannot be written");
    EXPECT_EQ(post.code(), "INTERNAL") << post.final;
    EXPECT_TRUE(c.Cmd("PING").ok());
    EXPECT_TRUE(c.Cmd("WHO").ok());
    Client other("127.0.0.1", port);
    auto reg = other.Cmd("REGISTER " + FreshName("bob") + " password-123");
    EXPECT_EQ(reg.code(), "INTERNAL") << reg.final;
  }
  EXPECT_NE(read_log().find("error store: attempt to write a readonly database"), std::string::npos)
      << read_log();
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);

  // Writable again (and owned by us again): a restart writes, nothing lost.
  ::chmod(data.path().c_str(), 0700);
  ChownTree(data.path(), ::geteuid());
  for (auto& e : fs::directory_iterator(data.path())) ::chmod(e.path().c_str(), 0600);
  ServerProcess again({}, data.path());
  Client c("127.0.0.1", again.port());
  ASSERT_TRUE(c.Cmd("RESUME " + token).ok());
  ASSERT_TRUE(c.Cmd("POST :written after").ok());
  auto board = c.Cmd("READ");
  ASSERT_EQ(board.data.size(), 2u) << board.final;
  EXPECT_EQ(Params(board.data[0]).back(), "written before");
  EXPECT_EQ(IntegrityCheck(data.path() + "/caucus.db"), "ok");
}

}  // namespace
}  // namespace caucus::test
