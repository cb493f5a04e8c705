#include "server/cli_support.h"

#include <filesystem>
#include <iostream>

#include "core/clock.h"
#include "core/password.h"
#include "core/secrets.h"
#include "protocol/names.h"
#include "store/await.h"

namespace caucus::server {

std::unique_ptr<store::Store> OpenCliStore(const ServerOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(o.data, ec);
  auto config = StoreConfigFor(o, "cli");
  config.readers = 1;
  auto opened = store::OpenStore(config, store::InlineExecutor());
  if (!opened.ok()) {
    if (o.store.empty()) {
      std::cerr << "caucusd: cannot open the store in " << o.data << ": "
                << opened.status().message() << "\n";
    } else {
      std::cerr << "caucusd: --store " << store::DescribeStore(config)
                << ": cannot open the store: " << opened.status().message() << "\n";
    }
    return nullptr;
  }
  return std::move(*opened);
}

std::string CreateCliAccount(store::Store& s, const ServerOptions& o, const std::string& name,
                             std::string password, bool admin) {
  if (!protocol::IsValidName(name)) return "not a valid name";
  if (password.size() < o.core.min_password) {
    return "password shorter than " + std::to_string(o.core.min_password) + " bytes";
  }
  auto hash = core::HashPassword(password, o.core.hash_cost);
  core::Wipe(password);
  if (!hash) return "hashing failed (out of memory?)";
  auto r = store::Await<store::AccountId>([&](auto done) {
    s.CreateAccount({name, *hash, admin, core::SystemClock().Now()}, done);
  });
  if (r.status().conflict()) return "the name is taken";
  if (!r.ok()) return r.status().message();
  return {};
}

}  // namespace caucus::server
