// PeerControl: peer to peer on the client's main thread. It answers the
// commands (talk, accept, decline, p, endtalk, sendfile), keeps the
// invitations made and received, turns the server's INVITED, ACCEPTED and
// DECLINED events into actions of the PeerAgent (which runs the chats and
// transfers on its own thread), and shows the agent's notices.
//
// Server calls happen only from the commands and from Service(), never from
// inside an event (OnPeerEvent may run while another call waits), so
// accepting offers automatically (--accept-files) waits for Service().
//
// Thread-safety: main thread only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/context.h"
#include "client/event_router.h"
#include "client/link/link.h"
#include "client/options.h"
#include "client/p2p/peer_agent.h"

namespace caucus::client {

class PeerControl : public PeerEvents {
 public:
  struct Settings {
    bool enabled = true;  // false: --no-p2p
    uint16_t port = 0;
    uint16_t payload = static_cast<uint16_t>(p2p::kDefaultPayload);
    std::string downloads = ".";
    bool accept_files = false;
    uint16_t announce_udp = 0;  // announced instead of the UDP port listened on, when not 0
  };

  PeerControl(Settings settings, Context& ctx) : settings_(std::move(settings)), ctx_(ctx) {}

  // After each login (and reconnection): starts listening the first time,
  // then announces the ports with P2P. Problems are told, not fatal.
  void Announce();

  // INVITED, ACCEPTED and DECLINED; true when the event was one of them.
  bool OnPeerEvent(const Line& event) override;

  // Readable when Service() has work; -1 when peer to peer is off.
  int fd() const { return agent_ ? agent_->notify_fd() : -1; }
  // Shows the agent's notices and answers offers when --accept-files.
  void Service();

  Outcome Talk(const std::string& user);
  // `which` is an invitation's id, or the name of the user who sent it
  // when that user has only one waiting.
  Outcome Accept(const std::string& which);
  Outcome Decline(const std::string& which);
  // Writes in the private chat with `user` and shows the line as sent.
  // Every line written counts as activity on the server too (a WHOAMI, as
  // any command other than PING resets the idle timer): a person chatting
  // privately is not logged out as idle; one who only reads is, after the
  // server's idle timeout, as with messages through the server.
  Outcome Say(const std::string& user, const std::string& text);
  Outcome EndTalk(const std::string& user);
  Outcome SendFile(const std::string& user, const std::string& path);

  // Transfers run, or offers of this user wait for an answer.
  bool Busy() const;

  // The ids of the invitations waiting for this user's answer, and the
  // names of who sent them, for completion after accept and decline.
  std::vector<std::string> Answerable() const;

 private:
  struct Invitation {
    std::string id;
    std::string peer;
    bool file = false;
    IncomingFile incoming;  // offered to this user
    OutgoingFile outgoing;  // offered by this user
  };

  bool Ready();
  Outcome Invite(const Request& request, Invitation invitation);
  // The id of the received invitation `which` names (an id, or its sender);
  // empty after telling why when none or several match.
  std::string Resolve(const std::string& which);

  Settings settings_;
  Context& ctx_;
  std::unique_ptr<PeerAgent> agent_;
  bool failed_to_start_ = false;
  bool told_ports_ = false;
  std::map<std::string, Invitation> received_;  // INVITED, not answered
  std::map<std::string, Invitation> sent_;      // INVITE answered OK, no ACCEPTED/DECLINED yet
  std::vector<std::string> to_accept_;          // --accept-files
};

// The settings from the command line.
PeerControl::Settings PeerSettings(const Options& o);

// Waits while `peers` is Busy(), serving the link and the peers meanwhile;
// false when a signal asked the client to leave.
bool WaitForPeers(PeerControl& peers, Link& link);

}  // namespace caucus::client
