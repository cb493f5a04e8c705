// FileKeyVault: poll keys as files in a directory of their own
// (<data>/keys/<poll-id>.key, mode 0600), never in the database.
// Keys are read once and cached; Destroy() overwrites the file before
// removing it. File I/O happens only when a revote poll is created, first
// used after a restart, or closed.
#pragma once

#include <map>
#include <string>

#include "core/poll_keys.h"

namespace caucus::store {

class FileKeyVault final : public core::KeyVault {
 public:
  explicit FileKeyVault(std::string directory) : dir_(std::move(directory)) {}
  std::optional<std::string> Create(const std::string& poll_id) override;
  std::optional<std::string> Get(const std::string& poll_id) override;
  void Destroy(const std::string& poll_id) override;

 private:
  std::string PathOf(const std::string& poll_id) const;
  std::string dir_;
  std::map<std::string, std::string> cache_;
};

}  // namespace caucus::store
