#include "store/file_key_vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <optional>

namespace caucus::store {

namespace {

bool IsSafeId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string PathIn(const std::string& dir, const std::string& poll_id) {
  return dir + "/" + poll_id + ".key";
}

// Writes a new random key to its file and syncs it (and the directory, so
// the file's name survives a crash too).
std::optional<std::string> WriteNewKey(const std::string& dir, const std::string& poll_id) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  ::chmod(dir.c_str(), 0700);
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  randombytes_buf(key.data(), key.size());
  const int fd =
      ::open(PathIn(dir, poll_id).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return std::nullopt;
  const bool ok =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return std::nullopt;
  if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);
    ::close(d);
  }
  return key;
}

std::optional<std::string> ReadKey(const std::string& dir, const std::string& poll_id) {
  const int fd = ::open(PathIn(dir, poll_id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  const bool ok = ::read(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  ::close(fd);
  if (!ok) return std::nullopt;
  return key;
}

// Overwrites the key's file with zeros, syncs, and removes it. True when no
// file is left.
bool EraseKey(const std::string& dir, const std::string& poll_id) {
  const std::string path = PathIn(dir, poll_id);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    const std::string zeros(crypto_secretbox_KEYBYTES, '\0');
    [[maybe_unused]] ssize_t n = ::write(fd, zeros.data(), zeros.size());
    ::fsync(fd);
    ::close(fd);
  }
  return ::unlink(path.c_str()) == 0 || errno == ENOENT;
}

}  // namespace

FileKeyVault::FileKeyVault(std::string directory, Executor executor)
    : dir_(std::move(directory)), executor_(std::move(executor)), thread_([this] { Work(); }) {}

FileKeyVault::~FileKeyVault() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  for (auto& [id, key] : cache_) sodium_memzero(key.data(), key.size());
}

void FileKeyVault::OnDisk(std::function<void()> work) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(work));
  }
  wake_.notify_one();
}

void FileKeyVault::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to do
    auto work = std::move(queue_.front());
    queue_.pop_front();
    working_ = true;
    lock.unlock();
    work();
    lock.lock();
    working_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

void FileKeyVault::Drain() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return queue_.empty() && !working_; });
}

void FileKeyVault::Create(const std::string& poll_id, KeyCallback done) {
  if (!IsSafeId(poll_id)) {
    executor_([done = std::move(done)] { done(std::nullopt); });
    return;
  }
  OnDisk([this, poll_id, done = std::move(done)]() mutable {
    auto key = WriteNewKey(dir_, poll_id);
    executor_([this, poll_id, key = std::move(key), done = std::move(done)]() mutable {
      if (key && !destroying_.count(poll_id)) cache_[poll_id] = *key;
      done(std::move(key));
    });
  });
}

void FileKeyVault::Get(const std::string& poll_id, KeyCallback done) {
  if (auto it = cache_.find(poll_id); it != cache_.end()) {
    executor_([key = it->second, done = std::move(done)]() mutable { done(std::move(key)); });
    return;
  }
  if (!IsSafeId(poll_id)) {
    executor_([done = std::move(done)] { done(std::nullopt); });
    return;
  }
  OnDisk([this, poll_id, done = std::move(done)]() mutable {
    auto key = ReadKey(dir_, poll_id);
    executor_([this, poll_id, key = std::move(key), done = std::move(done)]() mutable {
      if (key && !destroying_.count(poll_id)) cache_.emplace(poll_id, *key);
      done(std::move(key));
    });
  });
}

void FileKeyVault::Destroy(const std::string& poll_id, DoneCallback done) {
  if (auto it = cache_.find(poll_id); it != cache_.end()) {
    sodium_memzero(it->second.data(), it->second.size());
    cache_.erase(it);
  }
  if (!IsSafeId(poll_id)) {
    if (done) executor_([done = std::move(done)] { done(true); });
    return;
  }
  ++destroying_[poll_id];
  OnDisk([this, poll_id, done = std::move(done)]() mutable {
    const bool gone = EraseKey(dir_, poll_id);
    executor_([this, poll_id, gone, done = std::move(done)] {
      if (auto it = destroying_.find(poll_id); it != destroying_.end() && --it->second == 0) {
        destroying_.erase(it);
      }
      if (done) done(gone);
    });
  });
}

}  // namespace caucus::store
