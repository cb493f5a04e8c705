// What caucusd's subcommands share: opening the store for reading, creating
// accounts through the domain, reading 'name password' lines.
#pragma once

#include <memory>
#include <string>

#include "cli/domain_runner.h"
#include "server/options.h"
#include "store/store.h"

namespace caucus::cli {

using server::ServerOptions;

// Who the audit log names for what the command line does.
inline constexpr const char* kOperator = "operator";

// Opens the store (--store, else the data directory) for a subcommand that
// reads (completions run inline); prints why not and returns null on failure.
std::unique_ptr<store::Store> OpenCliStore(const ServerOptions& o);

// Opens the store `o` names with completions on `executor`; prints why not
// and returns null on failure.
std::unique_ptr<store::Store> OpenStoreFor(const ServerOptions& o, const std::string& origin,
                                           int readers, store::Executor executor);

// Creates one account through the domain (REGISTER's rules for names and
// passwords). Returns an empty string, or why the account was not created.
std::string CreateAccount(DomainRunner& domain, const std::string& name, std::string password,
                          bool admin);

// Splits a line of a users or voters file, 'name password'. False when the
// line has another shape.
bool ParseAccountLine(const std::string& line, std::string* name, std::string* password);

}  // namespace caucus::cli
