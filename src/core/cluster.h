// Cluster: the other caucusd nodes of a deployment, as the domain sees them
// (docs/architecture.md, "Several nodes").
//
// The domain tells its Cluster what the other nodes must know at once:
// sessions attached and detached (presence), events for accounts whose
// sessions are elsewhere, broadcasts, kicks, and that the store's change
// feed has something new. src/cluster carries this over the bus, and hands
// what the other nodes say to Caucus's Remote* calls. The store stays the
// truth: a message to an account online elsewhere is stored first and
// acknowledged by the node that delivers it, so a lost bus message delays
// it to the next login but never loses it.
//
// A single node has no Cluster (World::cluster is null).
//
// Thread-safety: event loop thread only.
#pragma once

#include <cstdint>
#include <functional>

#include "core/directory.h"
#include "core/session.h"
#include "protocol/codes.h"
#include "protocol/shared_line.h"

namespace caucus::core {

// A node of the deployment, as a small number this node gave it.
using NodeSlot = uint16_t;

class Cluster {
 public:
  virtual ~Cluster() = default;
  // A session of this node logged in, ended, or changed its P2P ports.
  virtual void Attached(const Session& s) = 0;
  virtual void Detached(const Session& s) = 0;
  virtual void PortsChanged(const Session& s) = 0;
  // Hands `line` (an event) to the sessions of `account` on other nodes.
  // `stored_id`: the stored message the line carries, which the node that
  // delivers it acknowledges (0 = none).
  virtual void DeliverTo(const Account& account, const protocol::SharedLine& line,
                         int64_t stored_id) = 0;
  // A broadcast from `sender`: each node hands it to its own sessions but
  // those of accounts that block the sender.
  virtual void Broadcast(AccountId sender, const protocol::SharedLine& line) = 0;
  // Ends the sessions of `account` on other nodes with `BYE <reason>`.
  virtual void Kick(const Account& account, protocol::Bye reason) = 0;
  // The store's change feed has something the other nodes cache.
  virtual void Changed() = 0;
  // Invitations whose two sides are on different nodes. `invited`: the
  // INVITED line for the invitee's sessions elsewhere; `answer`: the
  // ACCEPTED or DECLINED line for the inviter, on node `inviter_node`.
  virtual void Invite(const Account& invitee, AccountId inviter, const std::string& id,
                      const std::string& invited) = 0;
  virtual void Answer(NodeSlot inviter_node, const std::string& id, const std::string& answer) = 0;
  // The invitation is over (expired, or its inviter left): forget it.
  virtual void Uninvite(const Account& invitee, const std::string& id) = 0;
  // How many events this node has told the others so far.
  virtual uint64_t published() const = 0;
  // Calls `done` once every other node has applied what this node told it
  // before the call (and read the change feed it hinted at), or after a
  // second if one does not answer: a command's effects are seen on every
  // node before its reply goes out.
  virtual void Sync(std::function<void()> done) = 0;
  // This node counted a wrong password (or cleared a count).
  virtual void LockoutChanged(const store::LockoutRecord& record) = 0;
  // Called before a session's command runs: a node that was paused past
  // its TTL ends its sessions (the others dropped them) before it serves
  // anything, instead of waiting for its next timer.
  virtual void Awake() = 0;
};

}  // namespace caucus::core
