// What caucusd's subcommands share: opening the store from the command
// line, creating an account with a hashed password.
#pragma once

#include <memory>
#include <string>

#include "server/options.h"
#include "store/store.h"

namespace caucus::server {

// Opens the store (--store, else the data directory) for a subcommand
// (completions run inline); prints why not and returns null on failure.
std::unique_ptr<store::Store> OpenCliStore(const ServerOptions& o);

// Creates one account with `password` hashed at the configured cost.
// Returns an empty string, or why the account was not created.
std::string CreateCliAccount(store::Store& s, const ServerOptions& o, const std::string& name,
                             std::string password, bool admin);

}  // namespace caucus::server
