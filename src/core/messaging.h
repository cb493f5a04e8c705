// Messaging: SEND, BROADCAST, blocks, offline delivery and HISTORY
// (PROTOCOL.md "Messages").
//
// Live messages are queued to the recipient's sessions at once; every
// message also goes to the store's message log. A message to an offline
// user is answered `stored` only after it is durably queued, and is handed
// to the recipient's next session right after its OK LOGIN / OK RESUME; it
// leaves the queue once handed over. Log writes of live messages are not
// waited for while fewer than Config::log_writes_in_flight are pending; past
// that, senders wait for their own commit, so the store's queue stays bounded.
//
// Thread-safety: event loop thread only.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/accounts.h"
#include "core/outcome.h"
#include "core/world.h"
#include "protocol/shared_line.h"

namespace caucus::core {

class Messaging {
 public:
  explicit Messaging(World& world) : w_(world) {}

  // Message ids continue after `last_id` (the store's highest).
  void Start(int64_t last_id) { last_id_ = last_id; }
  // With several nodes: ids come in blocks reserved in the store.
  void UseIdBlocks() { id_blocks_ = true; }

  struct Sent {
    int64_t id;
    TimeMs time;
    bool delivered;  // false: stored for later
  };
  void Send(SessionRef s, const std::string& to, std::string text, Reply<Sent> done);

  struct Broadcasted {
    int64_t id;
    TimeMs time;
    int delivered;
    int withheld;
  };
  void Broadcast(SessionRef s, std::string text, Reply<Broadcasted> done);

  // Both answer the other account's name as registered.
  void Block(SessionRef s, const std::string& name, Reply<std::string> done);
  void Unblock(SessionRef s, const std::string& name, Reply<std::string> done);
  // The names the session's account blocks, sorted.
  std::vector<std::string> Blocks(const Session& s) const;

  // Hands the messages stored for the session's account to it, oldest
  // first, except those from accounts it blocks (they stay stored); then
  // calls `done`.
  void DeliverQueued(SessionRef s, std::function<void()> done);

  // From other nodes (core/cluster.h): a line for this node's sessions of
  // `to`, acknowledging `stored_id` once handed over (a committed message;
  // 0 = none); a broadcast.
  void RemoteDeliver(AccountId to, const protocol::SharedLine& line, int64_t stored_id);
  // Message `id`, still being stored by the node that forwarded it, for
  // this node's sessions of `to`: true if handed over here (the other node
  // then takes it off the queue).
  bool RemoteForward(AccountId to, const protocol::SharedLine& line, int64_t id);
  // Another node handed over message `id` that this node forwarded.
  void RemoteHandedOver(int64_t id);
  void RemoteBroadcast(AccountId sender, const protocol::SharedLine& line);
  // Hands what is stored for `id` to its sessions on this node (after the
  // bus was lost: deliveries sent this way may have been lost with it).
  void DeliverStoredTo(AccountId id);
  // This node has just heard of a session of `id` on another node (ATTACH,
  // or a node's session list). If this node stored messages for `id` while
  // it thought the account offline, that session's node may have read the
  // queue before they were committed, and nothing would read it again
  // until the next login: they are sent to it now (DELIVER with their ids,
  // so each is handed over once and taken off the queue there).
  void RemoteSessionHeard(AccountId id);

  struct HistoryPage {
    std::string with;                            // the other account's name
    std::vector<store::MessageRecord> messages;  // oldest first
  };
  // Direct messages between the session's account and `with`, the newest
  // `limit` (capped by Config::history_page) with ids below `before_id`.
  void History(SessionRef s, const std::string& with, int64_t before_id, int limit,
               Reply<HistoryPage> done);

  // The `MSG` event line.
  static protocol::SharedLine FormatMsg(int64_t id, TimeMs time, const std::string& from,
                                        const char* kind, const std::string& text);

 private:
  // Messages forwarded to other nodes while their store write was under way
  // (StoreThenDeliver), by id (ascending: oldest first). One leaves the
  // queue once it is both committed and handed over; one that was not handed
  // over within a minute (the bus lost it) stays queued for the next login.
  struct Forwarded {
    AccountId to = 0;
    TimeMs since = 0;
    bool stored = false;
    bool handed = false;
  };

  // The commands once the named account is known (World::FindAccount).
  void SendTo(SessionRef s, Account& to, std::string text, Reply<Sent> done);
  void StoreThenDeliver(store::MessageRecord record, Account& to, protocol::SharedLine line,
                        Reply<Sent> done);
  // Takes a forwarded message, committed and handed over, off the queue.
  void AckForwarded(std::map<int64_t, Forwarded>::iterator it);
  void BlockNow(SessionRef s, Account& whom, Reply<std::string> done);
  void HistoryWith(SessionRef s, Account& with, int64_t before_id, int limit,
                   Reply<HistoryPage> done);
  // With several nodes a stored message may reach this node twice (the
  // bus's delivery and a look in the store after the bus came back): false
  // when `id` was handed over here lately. Remembers the last 4,096.
  bool FirstHandOver(int64_t id);
  // Hands `stored` to `deliver`, but what `to` blocks, and acknowledges
  // what it handed; answers how many.
  size_t HandOver(Account& to, const std::vector<store::MessageRecord>& stored,
                  const std::function<void(const protocol::SharedLine&)>& deliver);
  // Logs a live message; calls `logged` at once while the store keeps up,
  // after the commit otherwise. A caller that found LogMustWait() false
  // answers by itself and may pass no `logged` (saving its allocation).
  void Log(store::MessageRecord record, std::function<void(bool ok)> logged);
  // True while the store is behind (too many log writes in flight): a
  // message's sender waits for its log write.
  bool LogMustWait() const;

  // The next message id, or 0 when a block of ids is on its way from the
  // store: then `retry` runs once it is here.
  int64_t NextId(std::function<void()>& retry);
  void Reserve();

  World& w_;
  int64_t last_id_ = 0;
  // Several nodes: ids [last_id_ + 1, block_end_) are this node's; the next
  // block is asked for when half of this one is used.
  bool id_blocks_ = false;
  int64_t block_end_ = 0;
  int64_t next_block_ = 0;  // first id of the block already received, 0 = none
  bool reserving_ = false;
  std::unordered_set<int64_t> handed_;  // FirstHandOver's memory
  std::deque<int64_t> handed_order_;
  std::map<int64_t, Forwarded> forwarded_;
  // Accounts this node stored messages for while it thought them offline,
  // with when it last did (RemoteSessionHeard); forgotten after a while.
  std::map<AccountId, TimeMs> stored_unseen_;
  std::vector<std::function<void()>> waiting_for_ids_;
};

}  // namespace caucus::core
