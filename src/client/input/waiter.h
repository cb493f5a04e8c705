// Waiting for the user's input while the server's events keep coming.
#pragma once

#include <functional>

#include "client/link/link.h"

namespace caucus::client {

enum class Woke {
  kInput,     // the input is readable (or at its end)
  kQuit,      // a signal asked the client to leave
  kLinkLost,  // the connection to the server ended just now
  kRedraw,    // the terminal was resized or resumed (see signals::TakeRedraw)
};

// How reading a line of input ended.
enum class Got {
  kLine,      // *line holds what was typed
  kEnd,       // Ctrl-D, or the end of the input
  kQuit,      // a signal asked the client to leave
  kLinkLost,  // the connection ended (only when asked to report it)
};

// Waits until `input_fd` is readable, handing the server's events to the
// link's sink meanwhile, and running the background work (below) whenever
// its descriptor is readable.
Woke WaitForInput(int input_fd, Link& link);

// Work done on the main thread while it waits for input (peer to peer: the
// notices of the chats and transfers): `run` is called whenever `fd` is
// readable. One at a time; fd -1 clears it.
void SetBackground(int fd, std::function<void()> run);

}  // namespace caucus::client
