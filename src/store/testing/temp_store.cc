#include "store/testing/temp_store.h"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

namespace caucus::store::testing {

TempStore::TempStore() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "caucus-unit-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp");
  dir_ = tmpl;
  const store::Executor later = [this](std::function<void()> fn) { Post(std::move(fn)); };
  auto opened = store::SqliteStore::Open(dir_ + "/caucus.db", later, "test");
  if (!opened.ok()) throw std::runtime_error(opened.status().message());
  store_ = std::move(*opened);
  keys_ = std::make_unique<store::FileKeyVault>(dir_ + "/keys", later);
}

void TempStore::Post(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  done_.push_back(std::move(fn));
}

TempStore::~TempStore() {
  keys_.reset();
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void TempStore::Pump() {
  while (true) {
    store_->Drain();
    keys_->Drain();
    std::deque<std::function<void()>> batch;
    {
      std::lock_guard lock(mu_);
      batch.swap(done_);
    }
    if (batch.empty()) return;
    for (auto& fn : batch) fn();
  }
}

}  // namespace caucus::store::testing
