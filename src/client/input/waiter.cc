#include "client/input/waiter.h"

#include <poll.h>

#include <cerrno>

#include "client/input/signals.h"

namespace caucus::client {
namespace {

int background_fd = -1;
std::function<void()> background_run;

}  // namespace

void SetBackground(int fd, std::function<void()> run) {
  background_fd = fd;
  background_run = std::move(run);
}

Woke WaitForInput(int input_fd, Link& link) {
  while (true) {
    const bool was_connected = link.connected();
    if (!link.Service() && was_connected) return Woke::kLinkLost;
    if (signals::QuitRequested()) return Woke::kQuit;
    pollfd p[4] = {{input_fd, POLLIN, 0},
                   {signals::WakeFd(), POLLIN, 0},
                   {background_fd, POLLIN, 0},
                   {link.fd(), POLLIN, 0}};
    const int n = ::poll(p, link.connected() ? 4 : 3, -1);
    if (n < 0 && errno != EINTR) return Woke::kQuit;
    if (p[2].revents & POLLIN) background_run();
    if (p[1].revents & POLLIN) {
      signals::Drain();
      if (signals::QuitRequested()) return Woke::kQuit;
      return Woke::kRedraw;
    }
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) return Woke::kInput;
  }
}

}  // namespace caucus::client
