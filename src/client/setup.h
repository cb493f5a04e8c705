// Setup: what main() prepares from the command line and the environment
// for either mode (the terminal, or a script).
#pragma once

#include <optional>
#include <string>

#include "client/context.h"
#include "client/options.h"

namespace caucus::client {

struct Setup {
  Options options;
  Endpoint endpoint;
  Account account;                   // the name from --user; a password given to a script
  std::optional<TokenStore> tokens;  // where sessions are saved, when they are
  std::optional<ReceiptLog> receipts;
  std::string history_path;  // empty: no history file
};

// Runs the client at a terminal with line editing; returns the exit status.
int RunInteractive(Setup& setup);

// Runs the commands read from stdin, one per line; returns the exit status.
int RunScript(Setup& setup);

}  // namespace caucus::client
