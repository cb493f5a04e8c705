// End-to-end test harness: the real caucusd, started on port 0 with a
// fresh data directory, and a strict client over a real socket.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace caucus::test {

// A temporary directory, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One caucusd process.
class ServerProcess {
 public:
  // Starts caucusd on 127.0.0.1 (and ::1 with `ipv6`), port 0 unless
  // `options` has a --port, in `data` (a fresh one when empty), with
  // `options`; waits until it greets.
  explicit ServerProcess(std::vector<std::string> options = {}, std::string data = {},
                         bool ipv6 = false);
  ~ServerProcess();

  uint16_t port() const { return port_; }
  // The HTTP (or HTTPS) port: the harness starts caucusd with
  // --http-listen 127.0.0.1 --http-port any unless `options` set them.
  uint16_t http_port() const { return http_port_; }
  // The port of the ::1 listener when started with `ipv6`, else 0.
  uint16_t port6() const { return port6_; }
  // The port of the first TLS listener (with --tls-cert), else 0.
  uint16_t tls_port() const { return tls_port_; }
  const std::string& data() const { return data_; }
  pid_t pid() const { return pid_; }
  // Runs `caucusd <args> --data <data>` (and the server's `--store URL`, if
  // it has one) and returns its exit status; stdout
  // and stderr are captured into *output when given, or stdout into *output
  // and stderr into *errors when `errors` is given too.
  int Cli(const std::vector<std::string>& args, const std::string& stdin_text = {},
          std::string* output = nullptr, std::string* errors = nullptr) const;
  // A "<field>: <n> kB" line of /proc/<pid>/status (VmRSS, RssAnon...), in
  // kB; -1 when the server is not running or has no such field.
  long StatusKb(const std::string& field) const;
  // Sends a signal and waits; returns the exit status (or -1 if killed).
  // A server still running after `timeout` is killed (SIGKILL): -1.
  int Stop(int signal = 15, std::chrono::seconds timeout = std::chrono::seconds(60));
  void Kill9();
  // Starts again with the same data directory and options (a new port).
  void Start();
  std::string Log() const;

 private:
  std::string FileName(const std::string& base) const;

  std::vector<std::string> options_;
  std::optional<TempDir> own_data_;
  std::string data_;
  bool ipv6_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  uint16_t port6_ = 0;
  uint16_t http_port_ = 0;
  uint16_t tls_port_ = 0;
};

struct Reply {
  std::vector<std::string> data;    // data lines, tag removed
  std::string final;                // the OK/ERR line, tag removed
  std::vector<std::string> params;  // of the final line
  bool ok() const { return !params.empty() && params[0] == "OK"; }
  std::string code() const { return params.size() > 2 && !ok() ? params[2] : ""; }
};

// Splits a line into parameters (the IRC rule), tag dropped.
std::vector<std::string> Params(const std::string& line);

// What every test client does with protocol lines, whatever carries them
// (TCP here, a WebSocket in web_client.h).
class LineClient {
 public:
  virtual ~LineClient() = default;

  const std::string& hello() const { return hello_; }
  // Sends one protocol line (without its LF).
  virtual void Send(const std::string& line) = 0;
  // The next line, or nullopt at end of stream; throws on timeout.
  virtual std::optional<std::string> ReadLine(
      std::chrono::milliseconds timeout = std::chrono::seconds(10)) = 0;

  // Sends a command and returns its reply; events go to events().
  Reply Cmd(const std::string& line, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  Reply ReadReply(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits for an event starting with `prefix`; removes and returns it.
  std::string WaitEvent(const std::string& prefix,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True if an event starting with `prefix` arrives within `wait`.
  bool EventArrives(const std::string& prefix,
                    std::chrono::milliseconds wait = std::chrono::milliseconds(300));
  // Reads until the server closes; returns the lines read.
  std::vector<std::string> WaitClosed(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::deque<std::string>& events() { return events_; }

 protected:
  std::string hello_;
  std::deque<std::string> events_;
};

class Client : public LineClient {
 public:
  // Connects (binding the local side to `source` when given, and with a
  // receive buffer of `receive_buffer` bytes when not 0, so that a client
  // that stops reading fills up quickly) and reads the first line (HELLO).
  Client(const std::string& host, uint16_t port, const std::string& source = {},
         int receive_buffer = 0);
  ~Client() override;
  Client(const Client&) = delete;

  void SendRaw(const std::string& bytes);
  void Send(const std::string& line) override { SendRaw(line + "\n"); }
  std::optional<std::string> ReadLine(
      std::chrono::milliseconds timeout = std::chrono::seconds(10)) override;
  void Close();
  // Sends FIN: the server reads what came before it, then the end.
  void ShutdownWrite();

 private:
  int fd_ = -1;
  std::string buf_;
};

// Registers `name` on a new connection, which it then closes; throws if
// REGISTER fails.
void Register(const ServerProcess& server, const std::string& name,
              const std::string& password = "password-123");

// Registers `name` and logs it in on a new connection; the session token
// goes to *token when given.
std::unique_ptr<Client> LoggedIn(const ServerProcess& server, const std::string& name,
                                 const std::string& password = "password-123",
                                 std::string* token = nullptr);

// Logs `name` in on a new connection, retrying while the server has not
// yet seen an account the command line just made (the change feed runs
// twice a second); throws on any other failure, or if it never does.
std::unique_ptr<Client> LoginWhenKnown(const ServerProcess& server, const std::string& name,
                                       const std::string& password);

// A name unique within this test run.
std::string FreshName(const std::string& prefix = "u");

// Waits until the server's log shows `text`; false if it has not within
// `timeout`.
bool LogShows(const ServerProcess& server, const std::string& text,
              std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A wire time (2026-11-21T19:08:00.123Z) as milliseconds since the epoch,
// parsed here rather than by the code under test; -1 if malformed.
int64_t WireMs(const std::string& t);
// The wire form of `unix_ms`.
std::string WireTime(int64_t unix_ms);
// Waits until the wall clock is past the wire time `t` plus `later`, so that
// a time the server takes next is later than that. Throws if `t` is not a
// wire time.
void AfterTime(const std::string& t,
               std::chrono::milliseconds later = std::chrono::milliseconds(0));

bool StartsWith(const std::string& s, const std::string& prefix);

// A TCP port on 127.0.0.1 that was free a moment ago (for a process that
// must come back on the same port).
uint16_t FreePort();

}  // namespace caucus::test
