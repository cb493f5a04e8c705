#include "store/open_store.h"

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace caucus::store {

std::string CheckStoreUrl(const std::string& url) {
  if (url.empty()) return {};
  return CheckPostgresUri(url);
}

Result<std::unique_ptr<Store>> OpenStore(const StoreConfig& config, Executor executor) {
  if (!config.url.empty()) {
    if (auto problem = CheckPostgresUri(config.url); !problem.empty()) {
      return Status::Failed(problem);
    }
    auto opened = PgStore::Open(config.url, std::move(executor), config.origin, config.readers);
    if (!opened.ok()) return opened.status();
    return std::unique_ptr<Store>(std::move(*opened));
  }
  auto opened =
      SqliteStore::Open(config.sqlite_path, std::move(executor), config.origin, config.readers);
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<Store>(std::move(*opened));
}

std::string DescribeStore(const StoreConfig& config) {
  return config.url.empty() ? config.sqlite_path : RedactUri(config.url);
}

}  // namespace caucus::store
