#include "client_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <stdexcept>
#include <thread>

namespace caucus::test {
namespace {

[[noreturn]] void Exec(std::vector<std::string>& argv, std::vector<std::string>& envv) {
  std::vector<char*> a, e;
  for (auto& s : argv) a.push_back(s.data());
  for (auto& s : envv) e.push_back(s.data());
  a.push_back(nullptr);
  e.push_back(nullptr);
  ::execve(a[0], a.data(), e.data());
  ::_exit(127);
}

}  // namespace

std::string Plain(const std::string& text) {
  static const std::regex kControl("\x1b\\[[0-9;?]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|[\r\x07]");
  return std::regex_replace(text, kControl, "");
}

ClientProcess::ClientProcess(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env, bool terminal) {
  std::vector<std::string> argv = {CAUCUS_CLIENT_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envv;
  for (const auto& [k, v] : env) envv.push_back(k + "=" + v);
  if (terminal) {
    winsize size{};
    size.ws_row = 40;
    size.ws_col = 200;
    pid_ = ::forkpty(&out_, nullptr, nullptr, &size);
    if (pid_ == 0) Exec(argv, envv);
    ::fcntl(out_, F_SETFD, FD_CLOEXEC);  // other children must not hold the terminal open
    in_ = out_;
  } else {
    int in[2], out[2], err[2];
    // Close-on-exec: a server started later must not hold the script's input open.
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
        ::pipe2(err, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe");
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
      Exec(argv, envv);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    in_ = in[1];
    out_ = out[0];
    err_ = err[0];
  }
  ::signal(SIGPIPE, SIG_IGN);
}

ClientProcess::~ClientProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  for (int fd : {in_, out_, err_}) {
    if (fd >= 0 && (fd != in_ || in_ != out_)) ::close(fd);
  }
}

void ClientProcess::Write(const std::string& bytes) {
  ASSERT_EQ(::write(in_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
}

void ClientProcess::CloseInput() {
  ::close(in_);
  in_ = -1;
}

size_t ClientProcess::WaitFor(const std::string& text, size_t from,
                              std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    const size_t at = output().find(text, from);
    if (at != std::string::npos) return at;
    if (Clock::now() >= deadline || !Pump(deadline)) return std::string::npos;
  }
}

size_t ClientProcess::WaitCount(const std::string& text, size_t count,
                                std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    const std::string out = output();
    size_t n = 0;
    for (size_t at = out.find(text); at != std::string::npos; at = out.find(text, at + 1)) ++n;
    if (n >= count || Clock::now() >= deadline || !Pump(deadline)) return n;
  }
}

int ClientProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Pump(deadline)) {
  }
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      ADD_FAILURE() << "caucus did not end in time; output:\n" << output();
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ClientProcess::Signal(int sig) { ::kill(pid_, sig); }

bool ClientProcess::Pump(Clock::time_point deadline) {
  pollfd p[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return false;
  if (::poll(p, err_ >= 0 ? 2 : 1, static_cast<int>(left)) <= 0) return true;
  bool open = false;
  for (int i = 0; i < 2; ++i) {
    if (p[i].fd < 0) continue;
    if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) {
      open = true;
      continue;
    }
    char buf[8192];
    const ssize_t n = ::read(p[i].fd, buf, sizeof buf);
    if (n > 0) {
      (i == 0 ? out_text_ : err_text_).append(buf, static_cast<size_t>(n));
      open = true;
    }
  }
  return open;
}

}  // namespace caucus::test
