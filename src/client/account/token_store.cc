#include "client/account/token_store.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "client/account/config_files.h"

namespace caucus::client {
namespace {

struct Entry {
  std::string key;
  TokenStore::Saved saved;
};

std::vector<Entry> ReadAll(const std::string& path) {
  std::vector<Entry> entries;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    Entry e;
    if (words >> e.key >> e.saved.name >> e.saved.token) entries.push_back(std::move(e));
  }
  return entries;
}

bool WriteAll(const std::string& path, const std::vector<Entry>& entries, std::string* error) {
  std::string text;
  for (const auto& e : entries) text += e.key + " " + e.saved.name + " " + e.saved.token + "\n";
  return EnsurePrivateDir(DirOf(path), error) && WritePrivateFile(path, text, error);
}

}  // namespace

std::optional<TokenStore::Saved> TokenStore::Load(const std::string& key) const {
  for (auto& e : ReadAll(path_)) {
    if (e.key == key) return std::move(e.saved);
  }
  return std::nullopt;
}

bool TokenStore::Save(const std::string& key, const Saved& saved, std::string* error) {
  auto entries = ReadAll(path_);
  std::erase_if(entries, [&](const Entry& e) { return e.key == key; });
  entries.push_back({key, saved});
  return WriteAll(path_, entries, error);
}

bool TokenStore::Forget(const std::string& key, std::string* error) {
  auto entries = ReadAll(path_);
  if (std::erase_if(entries, [&](const Entry& e) { return e.key == key; }) == 0) return true;
  return WriteAll(path_, entries, error);
}

}  // namespace caucus::client
