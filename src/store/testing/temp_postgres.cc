#include "store/testing/temp_postgres.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>

namespace caucus::store::testing {
namespace {

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

std::string FindBinDir() {
  if (const char* dir = std::getenv("CAUCUS_PG_BINDIR"); dir && *dir) return dir;
  glob_t g{};
  std::string found;
  if (::glob("/usr/lib/postgresql/*/bin", 0, nullptr, &g) == 0) {
    // Newest version last (the versions have the same number of digits
    // on any one machine, or sort numerically enough).
    for (size_t i = 0; i < g.gl_pathc; ++i) found = g.gl_pathv[i];
  }
  ::globfree(&g);
  return found;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs `sql` on `uri`; an empty string or the error.
std::string RunSql(const std::string& uri, const std::string& sql) {
  PGconn* conn = PQconnectdb(uri.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

}  // namespace

TempPostgres* TempPostgres::Get(std::string* why) {
  static std::mutex mu;
  static std::unique_ptr<TempPostgres> instance;
  static std::string failure;
  std::lock_guard lock(mu);
  if (instance) return instance.get();
  if (!failure.empty()) {
    *why = failure;
    return nullptr;
  }
  std::unique_ptr<TempPostgres> pg(new TempPostgres());
  if (const char* uri = std::getenv("CAUCUS_TEST_PG"); uri && *uri) {
    pg->admin_uri_ = uri;
  } else if (auto problem = pg->Start(); !problem.empty()) {
    failure = problem;
    *why = failure;
    return nullptr;
  }
  instance = std::move(pg);
  return instance.get();
}

int TempPostgres::RunTool(const std::string& tool, const std::vector<std::string>& args,
                          std::string* output) const {
  std::vector<std::string> argv;
  if (::geteuid() == 0) argv = {"runuser", "-u", "postgres", "--"};
  argv.push_back(bin_ + "/" + tool);
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log = root_ + "/tool.out";
  const pid_t child = ::fork();
  if (child == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    // The server started by pg_ctl must not hold the test's descriptors.
    for (int i = 3; i < 1024; ++i) ::close(i);
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execvp(raw[0], raw.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  if (output) *output = ReadFile(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string TempPostgres::Start() {
  bin_ = FindBinDir();
  if (bin_.empty() || ::access((bin_ + "/initdb").c_str(), X_OK) != 0) {
    return "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin; Debian: "
           "postgresql-15)";
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "caucus-pg-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) return "mkdtemp failed";
  root_ = tmpl;
  ::chmod(root_.c_str(), 0755);
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) return "running as root and there is no postgres user to run PostgreSQL as";
    if (::chown(root_.c_str(), pw->pw_uid, pw->pw_gid) != 0) return "chown of " + root_ + " failed";
  }
  std::string out;
  if (RunTool("initdb",
              {"-D", root_ + "/data", "-U", "caucus", "-A", "trust", "-E", "UTF8", "--locale=C",
               "--no-sync"},
              &out) != 0) {
    return "initdb failed: " + out;
  }
  // A port taken between FreePort() and the start is tried again.
  std::string problem;
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = FreePort();
    problem = StartServer();
    if (problem.empty()) break;
  }
  if (!problem.empty()) return problem;
  admin_uri_ = "postgresql://caucus@127.0.0.1:" + std::to_string(port_) + "/postgres";
  return {};
}

std::string TempPostgres::StartServer() {
  std::string out;
  // fsync off: a throwaway for unit tests, which crash nothing; the
  // durability tests run on the conformance harness's server.
  const std::string options = "-p " + std::to_string(port_) + " -k " + root_ +
                              " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
  if (RunTool("pg_ctl",
              {"-D", root_ + "/data", "-l", root_ + "/server.log", "-w", "-t", "60", "-o", options,
               "start"},
              &out) != 0) {
    return "pg_ctl start failed: " + out + ReadFile(root_ + "/server.log");
  }
  const std::string pid_file = ReadFile(root_ + "/data/postmaster.pid");
  pid_ = static_cast<pid_t>(std::atol(pid_file.c_str()));
  if (pid_ <= 0) return "no postmaster.pid after pg_ctl start";
  return {};
}

void TempPostgres::Stop() {
  if (pid_ <= 0) return;
  // Immediate shutdown, by pid: the test's server, nobody else's.
  ::kill(pid_, SIGQUIT);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (::kill(pid_, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = 0;
}

bool TempPostgres::StopImmediately() {
  std::lock_guard lock(mu_);
  if (pid_ <= 0) return false;
  Stop();
  return true;
}

bool TempPostgres::StartAgain() {
  std::lock_guard lock(mu_);
  if (root_.empty() || pid_ > 0) return false;
  return StartServer().empty();
}

TempPostgres::~TempPostgres() {
  Stop();
  if (!root_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
}

std::string TempPostgres::NewDatabase() {
  std::lock_guard lock(mu_);
  const std::string name =
      "caucus_test_" + std::to_string(::getpid()) + "_" + std::to_string(++databases_) + "_" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
  if (auto error = RunSql(admin_uri_, "CREATE DATABASE " + name); !error.empty()) {
    throw std::runtime_error("CREATE DATABASE " + name + ": " + error);
  }
  // The admin URI with its database replaced.
  const size_t slash = admin_uri_.rfind('/');
  const size_t query = admin_uri_.find('?', slash);
  return admin_uri_.substr(0, slash + 1) + name +
         (query == std::string::npos ? "" : admin_uri_.substr(query));
}

}  // namespace caucus::store::testing
