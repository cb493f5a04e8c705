#include "bench/account_pool.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace caucus::bench {

AccountPool::AccountPool(std::string prefix, std::string password)
    : prefix_(std::move(prefix)), password_(std::move(password)) {}

std::string AccountPool::Name(int64_t index) const { return prefix_ + std::to_string(index); }

Identity AccountPool::Get(int64_t index) const { return GetByName(Name(index)); }

Identity AccountPool::GetByName(std::string_view name) const {
  Identity id{std::string(name), password_, {}};
  if (auto it = tokens_.find(id.name); it != tokens_.end()) id.token = it->second;
  return id;
}

void AccountPool::Learn(const std::string& name, const std::string& token) {
  if (!token.empty()) tokens_[name] = token;
}

bool AccountPool::Load(const std::string& path, std::string* why) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return true;
  std::ifstream in(path);
  if (!in) {
    *why = path + ": cannot be read";
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name, token;
    if (fields >> name >> token) tokens_[name] = token;
  }
  return true;
}

bool AccountPool::Save(const std::string& path, std::string* why) const {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const auto& [name, token] : tokens_) out << name << ' ' << token << '\n';
    if (!out.flush()) {
      *why = tmp + ": " + std::strerror(errno);
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    *why = path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace caucus::bench
