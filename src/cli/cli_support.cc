#include "cli/cli_support.h"

#include <filesystem>
#include <iostream>
#include <sstream>

#include "store/await.h"

namespace caucus::cli {

std::unique_ptr<store::Store> OpenStoreFor(const ServerOptions& o, const std::string& origin,
                                           int readers, store::Executor executor) {
  std::error_code ec;
  std::filesystem::create_directories(o.data, ec);
  auto config = server::StoreConfigFor(o, origin);
  config.readers = readers;
  auto opened = store::OpenStore(config, std::move(executor));
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

std::unique_ptr<store::Store> OpenCliStore(const ServerOptions& o) {
  return OpenStoreFor(o, "cli", 1, store::InlineExecutor());
}

std::string CreateAccount(DomainRunner& domain, const std::string& name, std::string password,
                          bool admin) {
  auto created = domain.Run<core::AccountId>([&](auto done) {
    domain.caucus().accounts().Create(name, std::move(password), admin, done);
  });
  return created.ok() ? std::string() : FailureText(created.failure());
}

bool ParseAccountLine(const std::string& line, std::string* name, std::string* password) {
  std::istringstream fields(line);
  std::string extra;
  fields >> *name >> *password >> extra;
  return !name->empty() && !password->empty() && extra.empty();
}

}  // namespace caucus::cli
