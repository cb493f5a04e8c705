// Caucus: the whole domain, wired together. The server owns one.
//
// Thread-safety: event loop thread only, except Load(), which runs before
// the loop starts.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/accounts.h"
#include "core/board.h"
#include "core/log_retention.h"
#include "core/messaging.h"
#include "core/p2p.h"
#include "core/polls.h"
#include "core/world.h"
#include "store/key_vault.h"
#include "store/store.h"

namespace caucus::core {

class Caucus {
 public:
  Caucus(const Config& config, store::Store& store, PasswordHasher& hasher, const Clock& clock,
         Scheduler& scheduler, store::KeyVault& keys);
  ~Caucus();

  // Loads what the domain keeps in memory: accounts, blocks, lockouts,
  // polls, the last message id. Waits for the store: call it before the event loop runs.
  store::Status Load();

  World& world() { return world_; }
  Accounts& accounts() { return accounts_; }
  Messaging& messaging() { return messaging_; }
  Board& board() { return board_; }
  Polls& polls() { return polls_; }
  PeerBroker& peers() { return peers_; }
  LogRetention& retention() { return retention_; }

  // LOGIN and RESUME, with what follows them: Accounts decides and attaches
  // the session (presence); once `answered` has sent the reply, the
  // messages kept for the account are delivered, oldest first, and then
  // `settled` runs (the session may take its next command). On a failure
  // only `answered` runs.
  void Login(SessionRef s, std::string name, std::string password,
             Reply<Accounts::LoggedIn> answered, std::function<void()> settled);
  void Resume(SessionRef s, std::string token, Reply<std::string> answered,
              std::function<void()> settled);

  // Several nodes (core/cluster.h): the link to the others, set before the
  // loop runs, and what they say.
  void SetCluster(Cluster* cluster);
  void RemoteAttached(AccountId account, const RemoteSession& session);
  void RemoteDetached(AccountId account, NodeSlot node, uint64_t session);
  void RemotePorts(AccountId account, NodeSlot node, uint64_t session, uint16_t p2p_tcp);
  void RemoteNodeGone(NodeSlot node);
  // Node `node`'s whole session list: what it no longer has leaves
  // presence, what is new comes online.
  void RemoteSessions(NodeSlot node, const std::vector<std::pair<AccountId, RemoteSession>>& list);
  void RemoteDeliver(AccountId account, const protocol::SharedLine& line, int64_t stored_id);
  // See Messaging::RemoteForward and RemoteHandedOver.
  bool RemoteForward(AccountId account, const protocol::SharedLine& line, int64_t id);
  void RemoteHandedOver(int64_t id);
  void RemoteBroadcast(AccountId sender, const protocol::SharedLine& line);
  // Ends this node's sessions of `account` with `BYE <reason>`.
  void RemoteKick(AccountId account, protocol::Bye reason);
  void RemoteLockout(const store::LockoutRecord& record);
  void RemoteInvite(NodeSlot from, AccountId invitee, const std::string& id,
                    const protocol::SharedLine& invited) {
    peers_.RemoteInvite(from, invitee, id, invited);
  }
  void RemoteAnswer(const std::string& id, const protocol::SharedLine& answer) {
    peers_.RemoteAnswer(id, answer);
  }
  void RemoteUninvite(const std::string& id) { peers_.RemoteUninvite(id); }
  // The bus came back after a loss: what it lost meanwhile is caught up
  // from the store (the change feed, and what is stored for the accounts
  // online here).
  void BusRestored();

  // A connection has ended; see Accounts::SessionEnded.
  void EndSession(Session& s, const std::string& why, bool revoke,
                  std::function<void()> revoked = nullptr);

  // Periodic upkeep (every minute): forgets stale counters of wrong passwords
  // and of rate limits.
  void Housekeeping();

  // The store's change feed: what other processes (other nodes, the
  // command line) changed. Start it with the feed's last sequence number
  // once loaded; CatchUp() reads and applies what is new.
  ChangeFeed& feed() { return feed_; }

 private:
  // Applies a change made by another process; `applied` runs once the
  // caches have it.
  void ApplyChange(const store::Change& change, std::function<void()> applied);
  // Another node's presence event, applied at once or, for an account not
  // loaded yet, in order once the change feed has it.
  struct RemotePresenceEvent {
    enum Kind { kAttach, kDetach, kPorts } kind;
    RemoteSession session;
  };
  void RemotePresence(AccountId account, const RemotePresenceEvent& e);
  void ApplyPresence(Account& a, const RemotePresenceEvent& e);
  // Drops the waiting events of node `node` (gone, or its whole list came).
  void ForgetAwaited(NodeSlot node);
  // Hands over what is queued for the accounts with sessions here.
  void DeliverStoredToOnline();

  World world_;
  ChangeFeed feed_;
  Accounts accounts_;
  Messaging messaging_;
  Board board_;
  Polls polls_;
  PeerBroker peers_;
  LogRetention retention_;
  // Events waiting for their account, by account, in arrival order.
  std::map<AccountId, std::vector<RemotePresenceEvent>> awaiting_account_;
  Scheduler::TimerId second_look_ = 0;  // BusRestored's second read of the queues
};

}  // namespace caucus::core
