// The operator's subcommands of caucusd: users, log (and, with the polls,
// poll). They open the store directly; SQLite's WAL lets them run while the
// server does, and the server picks their changes up from the change feed
// within a second.
#pragma once

#include <functional>

#include "server/options.h"

namespace CLI {
class App;
}  // namespace CLI

namespace caucus::cli {

using server::ServerOptions;

// Adds the subcommands to `app`. When one of them is chosen, `*run` is set
// to the function that carries it out and returns the exit status.
void AddAdminCommands(CLI::App& app, ServerOptions* options, std::function<int()>* run);

}  // namespace caucus::cli
