// TempPostgres: a throwaway PostgreSQL server for tests.
//
// Started on first use (initdb into a fresh temporary directory, then
// `pg_ctl start` on 127.0.0.1 and a free port, trust authentication for the
// user `caucus`) and stopped by its pid when the test process exits. As
// root, initdb and the server run as the `postgres` user (PostgreSQL
// refuses to run as root). With $CAUCUS_TEST_PG set to a libpq URI of a
// database on a running server whose user may create databases, that
// server is used instead and nothing is started.
//
// The binaries come from $CAUCUS_PG_BINDIR, else the newest
// /usr/lib/postgresql/*/bin.
//
// Thread-safety: Get() and NewDatabase() may be called from any thread.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>
#include <vector>

namespace caucus::store::testing {

class TempPostgres {
 public:
  // The server of this test process, or null with the reason in *why
  // (PostgreSQL is not installed, or would not start).
  static TempPostgres* Get(std::string* why);

  // A new, empty database; its URI.
  std::string NewDatabase();
  // A URI of the server's own `postgres` database (to inspect or create).
  const std::string& admin_uri() const { return admin_uri_; }
  // The server's pid (0 for an outside server).
  pid_t pid() const { return pid_; }
  // Stops the server at once (SIGQUIT, pg_ctl's `-m immediate`: a crash,
  // as far as the database is concerned), and starts it again on the same
  // port. False if this process did not start it, or it would not come
  // back.
  bool StopImmediately();
  bool StartAgain();
  bool RestartImmediately() { return StopImmediately() && StartAgain(); }

  ~TempPostgres();

 private:
  TempPostgres() = default;
  // Starts the server; an empty string or why not.
  std::string Start();
  std::string StartServer();
  void Stop();
  // Runs a PostgreSQL tool (as the `postgres` user when root); its exit
  // status, with its output in *output.
  int RunTool(const std::string& tool, const std::vector<std::string>& args,
              std::string* output) const;

  std::mutex mu_;
  std::string bin_;
  std::string root_;
  std::string admin_uri_;
  int port_ = 0;
  pid_t pid_ = 0;
  int databases_ = 0;
};

}  // namespace caucus::store::testing
