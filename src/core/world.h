// World: the shared state and collaborators of the domain's services.
// Owned by Caucus (caucus.h); services keep a reference.
#pragma once

#include "core/change_feed.h"
#include "core/clock.h"
#include "core/cluster.h"
#include "core/config.h"
#include "core/directory.h"
#include "core/lockout.h"
#include "core/loop_thread.h"
#include "core/password.h"
#include "core/presence.h"
#include "store/store.h"

namespace caucus::core {

struct World {
  World(const Config& c, store::Store& s, PasswordHasher& h, const Clock& clk, Scheduler& sch)
      : config(c),
        store(s),
        hasher(h),
        clock(clk),
        scheduler(sch),
        presence(directory, clk),
        lockout(c.lockout, s) {}

  const Config& config;
  store::Store& store;
  PasswordHasher& hasher;
  const Clock& clock;
  Scheduler& scheduler;
  Directory directory;
  Presence presence;
  Lockout lockout;
  size_t log_writes_in_flight = 0;  // message-log writes submitted, not yet committed
  LoopThread loop_thread;           // bound by whoever runs the loop (Server::Run)
  ChangeFeed* feed = nullptr;       // the store's change feed (Caucus's)
  Cluster* cluster = nullptr;       // the other nodes; null on a single node

  // This node committed a change that other nodes cache (it is in the
  // store's change feed): tell them to look now.
  void Changed() {
    if (cluster) cluster->Changed();
  }

  // Calls `fn` with the account named `name`, or null. A name not known
  // here may be one that another node or the command line made a moment
  // ago: then the change feed is read once before the answer is null.
  template <class Fn>
  void FindAccount(const std::string& name, Fn&& fn) {
    if (Account* a = directory.Find(name)) return fn(a);
    if (feed == nullptr) return fn(nullptr);
    feed->CatchUp([this, name, fn = std::forward<Fn>(fn)]() mutable { fn(directory.Find(name)); });
  }
};

}  // namespace caucus::core
