// caucusd store copy --from DIR --store URL: moves a SQLite deployment (the
// store in DIR) into an empty PostgreSQL database (pg_import.h).
#pragma once

#include <functional>

#include "server/options.h"

namespace CLI {
class App;
}  // namespace CLI

namespace caucus::cli {

using server::ServerOptions;

void AddStoreCommands(CLI::App& app, ServerOptions* options, std::function<int()>* run);

}  // namespace caucus::cli
