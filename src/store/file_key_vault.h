// FileKeyVault: poll keys as files in a directory of their own
// (<data>/keys/<poll-id>.key, mode 0600), never in the database.
//
// The files are written, fsynced, read and destroyed on a thread of the
// vault's own, in the order the calls were made; answers come back through
// the executor (the event loop). Keys are cached on the caller's side once
// read; Destroy() drops the cached copy at once and overwrites the file
// before removing it.
//
// Thread-safety: calls from one thread (the event loop's).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "store/key_vault.h"
#include "store/store.h"

namespace caucus::store {

class FileKeyVault final : public KeyVault {
 public:
  FileKeyVault(std::string directory, Executor executor);
  // Finishes the file work already asked for, then stops the thread.
  ~FileKeyVault() override;

  void Create(const std::string& poll_id, KeyCallback done) override;
  void Get(const std::string& poll_id, KeyCallback done) override;
  void Destroy(const std::string& poll_id, DoneCallback done) override;

  // Waits until the file work asked for so far is done and its answers are
  // handed to the executor (for tests).
  void Drain();

 private:
  // Runs `work` on the vault's thread.
  void OnDisk(std::function<void()> work);
  void Work();

  const std::string dir_;
  const Executor executor_;
  // The caller's thread only: keys read or made, and the destructions not yet
  // done (a key read just before its destruction is not cached again).
  std::map<std::string, std::string> cache_;
  std::map<std::string, int> destroying_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> queue_;
  bool working_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace caucus::store
