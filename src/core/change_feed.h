// ChangeFeed: follows the store's change feed, where every process that
// shares the store (other caucusd nodes, the command line) notes what it
// changed of what the domain caches (accounts, polls, blocks), and applies
// each change it did not make itself.
//
// CatchUp() reads what is new now and runs `then` once every change read is
// applied. It is how a node that was told (by the bus, a hint) or suspects
// (a name it does not know) that something changed sees it at once, without
// waiting for the periodic read. Calls while a read is in flight are served
// by the next read, which starts after that one: a change committed before
// the call is always seen.
//
// Thread-safety: event loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/store.h"

namespace caucus::core {

class ChangeFeed {
 public:
  // Applies one change; calls its argument once the change is in the caches.
  using Apply = std::function<void(const store::Change&, std::function<void()> applied)>;

  ChangeFeed(store::Store& store, Apply apply) : store_(store), apply_(std::move(apply)) {}

  // Changes up to `last_seq` are already in the caches; changes from
  // `own_origin` are this process's own.
  void Start(int64_t last_seq, std::string own_origin);
  void CatchUp(std::function<void()> then);

  int64_t last_seq() const { return last_seq_; }

 private:
  void Read();
  void Finish();

  store::Store& store_;
  Apply apply_;
  int64_t last_seq_ = 0;
  std::string own_origin_;
  bool reading_ = false;
  std::vector<std::function<void()>> waiting_;  // served by the read in flight
  std::vector<std::function<void()>> next_;     // need a read that starts later
};

}  // namespace caucus::core
