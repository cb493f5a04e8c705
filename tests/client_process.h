// ClientProcess: one real `caucus` process for end-to-end tests, with its
// stdin, stdout and stderr on pipes (a script) or all on a pseudo-terminal
// (a person), and waits for what it prints.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace caucus::test {

// `text` without terminal control sequences and CRs, as a person reads it.
std::string Plain(const std::string& text);

class ClientProcess {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts CAUCUS_CLIENT_PATH with `args` and exactly the environment `env`.
  ClientProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                bool terminal = false);
  ~ClientProcess();
  ClientProcess(const ClientProcess&) = delete;
  ClientProcess& operator=(const ClientProcess&) = delete;

  void Write(const std::string& bytes);
  // Writes `line` and a newline: a command typed or scripted.
  void Type(const std::string& line) { Write(line + "\n"); }
  // Ends the script's input (pipes only).
  void CloseInput();

  // Reads until `text` shows in the output at or after `from`; returns where,
  // or npos when it does not come in time or the process ends first.
  size_t WaitFor(const std::string& text, size_t from = 0,
                 std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // How many times `text` shows in the output, after waiting until it shows
  // `count` times (or the time is up, or the output ends).
  size_t WaitCount(const std::string& text, size_t count, std::chrono::milliseconds timeout);
  // Waits for the process to end (killing it after `timeout`); its status,
  // or 128 + the signal that ended it.
  int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  void Signal(int sig);

  std::string output() const { return Plain(out_text_); }
  std::string errors() const { return Plain(err_text_); }
  std::string all() const { return output() + errors(); }

 private:
  // Reads what the process wrote; false once its output has ended.
  bool Pump(Clock::time_point deadline);

  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int err_ = -1;
  std::string out_text_;
  std::string err_text_;
};

}  // namespace caucus::test
