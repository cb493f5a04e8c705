// Caucus: the whole domain, wired together. The server owns one.
//
// Thread-safety: event loop thread only, except Load(), which runs before
// the loop starts.
#pragma once

#include <string>

#include "core/accounts.h"
#include "core/board.h"
#include "core/messaging.h"
#include "core/p2p.h"
#include "core/poll_keys.h"
#include "core/polls.h"
#include "core/world.h"
#include "store/store.h"

namespace caucus::core {

class Caucus {
 public:
  Caucus(const Config& config, store::Store& store, PasswordHasher& hasher, const Clock& clock,
         Scheduler& scheduler, KeyVault& keys);

  // Loads what the domain keeps in memory: accounts, blocks, lockouts,
  // polls, the last message id. Waits for the store: call it before the event loop runs.
  store::Status Load();

  World& world() { return world_; }
  Accounts& accounts() { return accounts_; }
  Messaging& messaging() { return messaging_; }
  Board& board() { return board_; }
  Polls& polls() { return polls_; }
  PeerBroker& peers() { return peers_; }

  // A connection has ended; see Accounts::SessionEnded.
  void EndSession(Session& s, const std::string& why, bool revoke);

  // Periodic upkeep (every minute): forgets stale counters of wrong passwords
  // and of rate limits.
  void Housekeeping();

  // Applies a change made by another process (the command line), from the
  // store's change feed.
  void ApplyChange(const store::Change& change);

 private:
  World world_;
  Accounts accounts_;
  Messaging messaging_;
  Board board_;
  Polls polls_;
  PeerBroker peers_;
};

}  // namespace caucus::core
