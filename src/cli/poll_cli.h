// caucusd poll create|list|open|close|results|export: polls from the
// command line. They write to the store directly; a running server sees
// the change within a second (the change feed) and announces openings and
// closings as if an admin had made them.
#pragma once

#include <functional>

#include "server/options.h"

namespace CLI {
class App;
}  // namespace CLI

namespace caucus::cli {

using server::ServerOptions;

void AddPollCommands(CLI::App& app, ServerOptions* options, std::function<int()>* run);

}  // namespace caucus::cli
