// PeerBroker: who may reach whom, peer to peer (PROTOCOL.md "Peer to
// peer"). The server never relays a peer's data: it passes invitations,
// and on acceptance gives the inviter the peer's address and ports and both
// sides the same one-time ticket. Invitations live in memory only; they
// expire after 60 s, or when either side goes away.
//
// Thread-safety: event loop thread only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/accounts.h"
#include "core/cluster.h"
#include "core/outcome.h"
#include "core/world.h"

namespace caucus::core {

class PeerBroker {
 public:
  static constexpr TimeMs kInviteLifetimeMs = 60'000;

  explicit PeerBroker(World& world) : w_(world) {}

  // P2P: records the session's ports; tcp 0 withdraws them (and the udp
  // port with them). Answers the ports as recorded (udp 0 = none).
  std::pair<int, int> Announce(Session& s, uint16_t tcp, uint16_t udp);

  struct FileOffer {
    int64_t size = 0;
    std::string sha256;  // lower-case hex
    std::string name;
  };
  // INVITE: a private chat (no offer) or a file. Answers the invitation id.
  Outcome<std::string> Invite(SessionRef s, const std::string& name, std::optional<FileOffer> file);
  // Answers the ticket.
  Outcome<std::string> Accept(SessionRef s, const std::string& id);
  Outcome<Ok> Decline(SessionRef s, const std::string& id);

  // The session is ending: its invitations go, and invitations to its
  // account are declined when no session of it takes invitations any more.
  void SessionEnded(Session& s);

  // From other nodes (core/cluster.h): an invitation made on node `from`
  // to `invitee`, whose sessions here may answer it; an answer to an
  // invitation made here; an invitation made elsewhere that is over.
  void RemoteInvite(NodeSlot from, AccountId invitee, const std::string& id,
                    const protocol::SharedLine& invited);
  void RemoteAnswer(const std::string& id, const protocol::SharedLine& answer);
  void RemoteUninvite(const std::string& id);
  // Node `node` is gone (its sessions already left presence): invitations
  // it made are forgotten, and invitations made here to accounts that no
  // session anywhere can answer any more are declined.
  void NodeGone(NodeSlot node);

 private:
  struct Invitation {
    std::string id;
    Session* inviter;  // the session that invited (cleared when it ends)
    std::string inviter_name;
    AccountId invitee;
    std::optional<FileOffer> file;
    Scheduler::TimerId timer = 0;
  };

  // An invitation made on another node to an account with sessions here.
  struct RemoteInvitation {
    NodeSlot inviter_node = 0;
    AccountId invitee = 0;
    Scheduler::TimerId timer = 0;
  };

  static bool TakesInvitations(const Account& a);
  static bool TakesInvitationsHere(const Account& a);
  // Builds the ACCEPTED line for the accepting session; *ticket gets the ticket.
  static std::string AcceptedLine(const Session& s, const std::string& id, std::string* ticket);
  void ForgetRemote(const std::string& id);
  // Declines the invitations to s's account if no session but s takes them.
  void NoLongerInvitable(Session& s);
  // Tells the inviter, and forgets the invitation.
  void Declined(const std::string& id);
  void Forget(const std::string& id);

  World& w_;
  std::map<std::string, Invitation> invitations_;
  std::map<std::string, RemoteInvitation> remote_;
};

}  // namespace caucus::core
