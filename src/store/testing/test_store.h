// TestStore: a fresh, real Store of either kind for unit tests: SQLite in a
// temporary directory, or PostgreSQL in a new database of TempPostgres.
// Completions are queued and run on the test's thread by Pump(), so that
// tests see them as the domain does on its loop.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "store/open_store.h"
#include "store/store.h"

namespace caucus::store::testing {

enum class StoreKind { kSqlite, kPostgres };

// "sqlite" or "postgres", for test names.
std::string KindName(StoreKind kind);

class TestStore {
 public:
  // A new store of `kind`; null with the reason in *skip when PostgreSQL is
  // not available. Throws when a store that should open does not.
  static std::unique_ptr<TestStore> Open(StoreKind kind, std::string* skip);
  ~TestStore();

  Store& store() { return *store_; }
  StoreKind kind() const { return kind_; }
  // Where the store is: the PostgreSQL URI (empty for SQLite) and the
  // SQLite file.
  const StoreConfig& config() const { return config_; }
  // Runs every completion on this thread, waiting for the store, until
  // nothing more is pending.
  void Pump();
  // Another store on the same data (what another process would open),
  // with completions run inline.
  Result<std::unique_ptr<Store>> OpenAgain(std::string origin) const;

 private:
  TestStore() = default;

  StoreKind kind_ = StoreKind::kSqlite;
  std::string dir_;
  StoreConfig config_;
  std::mutex mu_;
  std::deque<std::function<void()>> done_;
  std::unique_ptr<Store> store_;
};

}  // namespace caucus::store::testing
