#include "store/testing/test_store.h"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

#include "store/testing/temp_postgres.h"

namespace caucus::store::testing {

std::string KindName(StoreKind kind) { return kind == StoreKind::kSqlite ? "sqlite" : "postgres"; }

std::unique_ptr<TestStore> TestStore::Open(StoreKind kind, std::string* skip) {
  std::unique_ptr<TestStore> t(new TestStore());
  t->kind_ = kind;
  std::string tmpl = (std::filesystem::temp_directory_path() / "caucus-unit-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp");
  t->dir_ = tmpl;
  t->config_.sqlite_path = t->dir_ + "/caucus.db";
  t->config_.origin = "test";
  if (kind == StoreKind::kPostgres) {
    TempPostgres* pg = TempPostgres::Get(skip);
    if (pg == nullptr) return nullptr;
    t->config_.url = pg->NewDatabase();
  }
  auto* self = t.get();
  auto opened = OpenStore(t->config_, [self](std::function<void()> fn) {
    std::lock_guard lock(self->mu_);
    self->done_.push_back(std::move(fn));
  });
  if (!opened.ok()) throw std::runtime_error(opened.status().message());
  t->store_ = std::move(*opened);
  return t;
}

TestStore::~TestStore() {
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void TestStore::Pump() {
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

Result<std::unique_ptr<Store>> TestStore::OpenAgain(std::string origin) const {
  StoreConfig config = config_;
  config.origin = std::move(origin);
  config.readers = 1;
  return OpenStore(config, [](std::function<void()> fn) { fn(); });
}

}  // namespace caucus::store::testing
