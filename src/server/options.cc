#include "server/options.h"

namespace caucus::server {

std::string DatabasePath(const std::string& data_dir) { return data_dir + "/caucus.db"; }

store::StoreConfig StoreConfigFor(const ServerOptions& o, std::string origin) {
  store::StoreConfig config;
  config.url = o.store;
  config.sqlite_path = DatabasePath(o.data);
  config.origin = std::move(origin);
  return config;
}

}  // namespace caucus::server
