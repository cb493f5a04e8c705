#include "cli/cli_support.h"

#include <filesystem>
#include <iostream>
#include <sstream>

#include "store/await.h"

namespace caucus::cli {

std::unique_ptr<store::SqliteStore> OpenCliStore(const ServerOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(o.data, ec);
  auto opened =
      store::SqliteStore::Open(server::DatabasePath(o.data), store::InlineExecutor(), "cli", 1);
  if (!opened.ok()) {
    std::cerr << "caucusd: cannot open the store in " << o.data << ": " << opened.status().message()
              << "\n";
    return nullptr;
  }
  return std::move(*opened);
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
