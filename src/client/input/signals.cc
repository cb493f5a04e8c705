#include "client/input/signals.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <initializer_list>

namespace caucus::client::signals {
namespace {

volatile std::sig_atomic_t g_quit = 0;
volatile std::sig_atomic_t g_resize = 0;
volatile std::sig_atomic_t g_continue = 0;
int g_pipe[2] = {-1, -1};

void OnSignal(int sig) {
  const int saved = errno;
  if (sig == SIGWINCH) {
    g_resize = 1;
  } else if (sig == SIGCONT) {
    g_continue = 1;
  } else {
    g_quit = sig;
  }
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
  errno = saved;
}

}  // namespace

void Install() {
  if (g_pipe[0] >= 0) return;
  if (::pipe2(g_pipe, O_NONBLOCK | O_CLOEXEC) != 0) return;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGCONT}) ::sigaction(sig, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

int WakeFd() { return g_pipe[0]; }

void Drain() {
  char buf[64];
  while (::read(g_pipe[0], buf, sizeof buf) > 0) {
  }
}

bool QuitRequested() { return g_quit != 0; }
int QuitSignal() { return g_quit; }

void ClearQuit() {
  g_quit = 0;
  Drain();
}

bool TakeRedraw(bool* resumed) {
  *resumed = g_continue != 0;
  const bool redraw = *resumed || g_resize != 0;
  g_resize = 0;
  g_continue = 0;
  return redraw;
}

}  // namespace caucus::client::signals
