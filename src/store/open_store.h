// OpenStore: the one place that picks the Store implementation. The server
// and every subcommand open their store through it, so `--store` means the
// same everywhere.
#pragma once

#include <memory>
#include <string>

#include "store/result.h"
#include "store/store.h"

namespace caucus::store {

struct StoreConfig {
  // A libpq URI (postgresql:// or postgres://) selects PostgreSQL; empty,
  // SQLite in `sqlite_path`.
  std::string url;
  std::string sqlite_path;
  // This process's name in the change feed (Change::origin).
  std::string origin;
  int readers = 2;
};

// Checks `url` without connecting; an empty string or a one-line reason.
std::string CheckStoreUrl(const std::string& url);

// Opens (creating and migrating if needed) the store `config` names, with
// completions on `executor`. Failed, with a one-line reason, if it cannot.
Result<std::unique_ptr<Store>> OpenStore(const StoreConfig& config, Executor executor);

// Where `config` points, for messages: the URI without its password, or the
// SQLite file.
std::string DescribeStore(const StoreConfig& config);

}  // namespace caucus::store
