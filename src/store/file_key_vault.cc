#include "store/file_key_vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace caucus::store {

namespace {

bool IsSafeId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string FileKeyVault::PathOf(const std::string& poll_id) const {
  return dir_ + "/" + poll_id + ".key";
}

std::optional<std::string> FileKeyVault::Create(const std::string& poll_id) {
  if (!IsSafeId(poll_id)) return std::nullopt;
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  ::chmod(dir_.c_str(), 0700);
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  randombytes_buf(key.data(), key.size());
  const std::string path = PathOf(poll_id);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return std::nullopt;
  const bool ok =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return std::nullopt;
  cache_[poll_id] = key;
  return key;
}

std::optional<std::string> FileKeyVault::Get(const std::string& poll_id) {
  if (auto it = cache_.find(poll_id); it != cache_.end()) return it->second;
  if (!IsSafeId(poll_id)) return std::nullopt;
  const int fd = ::open(PathOf(poll_id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  const bool ok = ::read(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  ::close(fd);
  if (!ok) return std::nullopt;
  cache_[poll_id] = key;
  return key;
}

void FileKeyVault::Destroy(const std::string& poll_id) {
  if (auto it = cache_.find(poll_id); it != cache_.end()) {
    sodium_memzero(it->second.data(), it->second.size());
    cache_.erase(it);
  }
  if (!IsSafeId(poll_id)) return;
  const std::string path = PathOf(poll_id);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    const std::string zeros(crypto_secretbox_KEYBYTES, '\0');
    [[maybe_unused]] ssize_t n = ::write(fd, zeros.data(), zeros.size());
    ::fsync(fd);
    ::close(fd);
  }
  ::unlink(path.c_str());
}

}  // namespace caucus::store
