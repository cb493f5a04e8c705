#include "cli/store_cli.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "store/postgres/pg_import.h"

namespace caucus::cli {

using server::ServerOptions;
namespace {

int Copy(const ServerOptions& o, const std::string& from) {
  if (o.store.empty()) {
    std::cerr << "caucusd: store copy: --store URL names the PostgreSQL database to copy into\n";
    return 2;
  }
  auto copied = store::CopySqliteToPostgres(server::DatabasePath(from), o.store);
  if (!copied.ok()) {
    std::cerr << "caucusd: store copy: " << copied.status().message() << "\n";
    return 1;
  }
  int64_t rows = 0;
  for (const auto& t : *copied) {
    std::cout << t.table << " " << t.rows << "\n";
    rows += t.rows;
  }
  std::cout << "copied " << rows << " rows from " << server::DatabasePath(from)
            << "; the counts match on both sides\n";
  std::error_code ec;
  if (std::filesystem::exists(from + "/keys", ec) &&
      !std::filesystem::equivalent(from, o.data, ec)) {
    std::cout << "the revote polls' keys stay in " << from << "/keys: serve with --data " << from
              << ", or move that folder into the new --data\n";
  }
  return 0;
}

}  // namespace

void AddStoreCommands(CLI::App& app, ServerOptions* o, std::function<int()>* run) {
  auto* store = app.add_subcommand("store", "Move the store between SQLite and PostgreSQL");
  store->require_subcommand(1);
  store->fallthrough();
  auto from = std::make_shared<std::string>();
  auto* copy = store->add_subcommand(
      "copy",
      "Copy the SQLite store of a data directory (--from) into an empty PostgreSQL database "
      "(--store); the server must be stopped");
  copy->add_option("--from", *from, "Data directory whose SQLite store (caucus.db) is copied")
      ->required()
      ->check(CLI::ExistingDirectory);
  copy->fallthrough();
  copy->callback([=] { *run = [=] { return Copy(*o, *from); }; });
}

}  // namespace caucus::cli
