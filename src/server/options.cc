#include "server/options.h"

namespace caucus::server {

std::string DatabasePath(const std::string& data_dir) { return data_dir + "/caucus.db"; }

}  // namespace caucus::server
