// World: the shared state and collaborators of the domain's services.
// Owned by Caucus (caucus.h); services keep a reference.
#pragma once

#include "core/clock.h"
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
};

}  // namespace caucus::core
