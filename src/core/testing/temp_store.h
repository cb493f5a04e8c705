// TempStore: a real SqliteStore in a fresh temporary directory, for unit
// tests. Completions are queued and run on the test's thread by Pump(), so
// the domain sees them on "its" thread, as in the server.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite_store.h"

namespace caucus::core::testing {

class TempStore {
 public:
  TempStore();
  ~TempStore();

  store::SqliteStore& store() { return *store_; }
  const std::string& dir() const { return dir_; }
  // Runs every completion on this thread, waiting for the store, until
  // nothing more is pending.
  void Pump();

 private:
  std::string dir_;
  std::mutex mu_;
  std::deque<std::function<void()>> done_;
  std::unique_ptr<store::SqliteStore> store_;
};

}  // namespace caucus::core::testing
