// Presence: who is online, PRESENCE events and WHO lists.
//
// Presence is per account: an account comes online when its first session
// logs in (LOGIN or RESUME) and goes offline when its last session ends.
// Events go to every online account except the subject and those the
// subject blocks; each event is formatted once and shared by all recipients.
//
// This class and Fanout are the seam for several caucusd nodes: a bus
// implementation would publish Attach/Detach and fan-out to the other nodes
// and apply theirs here (see docs/architecture.md).
//
// Thread-safety: event loop thread only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/directory.h"
#include "core/session.h"
#include "protocol/shared_line.h"

namespace caucus::core {

// Queues `line` to every session of `account`.
void DeliverTo(const Account& account, const protocol::SharedLine& line);

struct WhoEntry {
  const Account* account;
  TimeMs login_ms;
  bool online;
  bool p2p;  // accepts peer-to-peer invitations
};

class Presence {
 public:
  Presence(Directory& directory, const Clock& clock) : directory_(directory), clock_(clock) {}

  // Adds a logged-in session to its account (session.account must be set);
  // announces the account when it comes online. Returns true if it did.
  bool Attach(Session& session);
  // Removes the session; announces the account when it goes offline.
  // Returns true if it did.
  bool Detach(Session& session);

  // Sessions of other nodes (core/cluster.h), with the same announcements
  // to this node's sessions when an account comes online or goes offline.
  void RemoteAttach(Account& account, const RemoteSession& session);
  void RemoteDetach(Account& account, uint16_t node, uint64_t session);
  void RemotePorts(Account& account, uint16_t node, uint64_t session, uint16_t p2p_tcp);
  // Every session of `node` is gone (it died or restarted).
  void NodeGone(uint16_t node);
  // `node`'s whole list of sessions, as it told it (SESSIONS): its sessions
  // not in `kept` are gone. Those in it but not known here are attached by
  // the caller, so that an account in both lists never flickers offline.
  void RemoteSnapshot(uint16_t node, const std::vector<uint64_t>& kept);

  // Accounts with at least one session, in no particular order.
  const std::vector<Account*>& online() const { return online_; }

  // The WHO list for `viewer`: other online accounts and, with
  // `recent_seconds`, accounts now offline whose latest login was within
  // that many seconds. Accounts that block the viewer are left out.
  std::vector<WhoEntry> Who(const Account& viewer, std::optional<int64_t> recent_seconds);

 private:
  void Announce(const Account& subject, bool online, TimeMs when);
  // Keeps online_ in step after a session came or went; announces a change.
  void CameOnline(Account& account, TimeMs when);
  void MaybeWentOffline(Account& account);

  Directory& directory_;
  const Clock& clock_;
  std::vector<Account*> online_;
};

}  // namespace caucus::core
