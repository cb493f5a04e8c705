// TempStore: a real SqliteStore and a real FileKeyVault in a fresh
// temporary directory, for unit tests. Completions are queued and run on the
// test's thread by Pump(), so the domain sees them on "its" thread, as in the
// server.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "store/file_key_vault.h"
#include "store/sqlite/sqlite_store.h"

namespace caucus::store::testing {

class TempStore {
 public:
  TempStore();
  ~TempStore();

  store::SqliteStore& store() { return *store_; }
  store::FileKeyVault& keys() { return *keys_; }
  // Queues `fn` to run in Pump(), as the loop would run it.
  void Post(std::function<void()> fn);
  const std::string& dir() const { return dir_; }
  // Runs every completion on this thread, waiting for the store, until
  // nothing more is pending.
  void Pump();

 private:
  std::string dir_;
  std::mutex mu_;
  std::deque<std::function<void()>> done_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<store::FileKeyVault> keys_;
};

}  // namespace caucus::store::testing
