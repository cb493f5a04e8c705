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
#include "store/key_vault.h"
#include "core/polls.h"
#include "core/world.h"
#include "store/store.h"

namespace caucus::core {

class Caucus {
 public:
  Caucus(const Config& config, store::Store& store, PasswordHasher& hasher, const Clock& clock,
         Scheduler& scheduler, store::KeyVault& keys);

  // Loads what the domain keeps in memory: accounts, blocks, lockouts,
  // polls, the last message id. Waits for the store: call it before the event loop runs.
  store::Status Load();

  World& world() { return world_; }
  Accounts& accounts() { return accounts_; }
  Messaging& messaging() { return messaging_; }
  Board& board() { return board_; }
  Polls& polls() { return polls_; }
  PeerBroker& peers() { return peers_; }

  // LOGIN and RESUME, with what follows them: Accounts decides and attaches
  // the session (presence); once `answered` has sent the reply, the
  // messages kept for the account are delivered, oldest first, and then
  // `settled` runs (the session may take its next command). On a failure
  // only `answered` runs.
  void Login(SessionRef s, std::string name, std::string password,
             Reply<Accounts::LoggedIn> answered, std::function<void()> settled);
  void Resume(SessionRef s, std::string token, Reply<std::string> answered,
              std::function<void()> settled);

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
