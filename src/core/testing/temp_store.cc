#include "core/testing/temp_store.h"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

namespace caucus::core::testing {

TempStore::TempStore() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "caucus-unit-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp");
  dir_ = tmpl;
  auto opened = store::SqliteStore::Open(
      dir_ + "/caucus.db",
      [this](std::function<void()> fn) {
        std::lock_guard lock(mu_);
        done_.push_back(std::move(fn));
      },
      "test");
  if (!opened.ok()) throw std::runtime_error(opened.status().message());
  store_ = std::move(*opened);
}

TempStore::~TempStore() {
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void TempStore::Pump() {
  while (true) {
    store_->Drain();
    std::deque<std::function<void()>> batch;
    {
      std::lock_guard lock(mu_);
      batch.swap(done_);
    }
    if (batch.empty()) return;
    for (auto& fn : batch) fn();
  }
}

}  // namespace caucus::core::testing
