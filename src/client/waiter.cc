#include "client/waiter.h"

#include <poll.h>

#include <cerrno>

#include "client/signals.h"

namespace caucus::client {

Woke WaitForInput(int input_fd, Link& link) {
  while (true) {
    const bool was_connected = link.connected();
    if (!link.Service() && was_connected) return Woke::kLinkLost;
    if (signals::QuitRequested()) return Woke::kQuit;
    pollfd p[3] = {{input_fd, POLLIN, 0}, {signals::WakeFd(), POLLIN, 0}, {link.fd(), POLLIN, 0}};
    const int n = ::poll(p, link.connected() ? 3 : 2, -1);
    if (n < 0 && errno != EINTR) return Woke::kQuit;
    if (p[1].revents & POLLIN) {
      signals::Drain();
      if (signals::QuitRequested()) return Woke::kQuit;
      return Woke::kRedraw;
    }
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) return Woke::kInput;
  }
}

}  // namespace caucus::client
