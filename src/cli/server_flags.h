// The command line and TOML config file of caucusd: declares every field of
// ServerOptions as a flag (and --config, read with toml++).
#pragma once

#include <string>

#include "server/options.h"

namespace CLI {
class App;
}  // namespace CLI

namespace caucus::cli {

// Declares every server option on `app` (and --config, read with toml++).
void AddServerOptions(CLI::App& app, server::ServerOptions* options);

// Checks what CLI11's validators cannot (the e-mail domain pattern).
// Returns an empty string when all is well, else a one-line error.
std::string CheckServerOptions(const server::ServerOptions& options);

}  // namespace caucus::cli
