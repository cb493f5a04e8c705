// The events caucusd nodes tell each other over the bus (src/bus), as one
// text line each: a verb, the sending node and its incarnation (a random
// word chosen at start, so that a restarted node is told from its former
// self), the verb's words, and for events that carry protocol lines the raw
// bytes after " :".
//
//   ATTACH <node> <inc> <account> <session> <login-ms> <p2p-port>
//   DETACH <node> <inc> <account> <session>
//   PORTS  <node> <inc> <account> <session> <p2p-port>
//   HELLO  <node> <inc> <fenced>   a node (re)joined: tell it your sessions;
//                                  <fenced> is 1 when it has just ended its
//                                  sessions (Fence), else 0
//   GONE   <node> <inc> :<gone-inc>
//                                  to a node the sender declared gone (in its
//                                  incarnation <gone-inc>): end your sessions
//   SESSIONS <node> <inc> <last> :<account>,<session>,<login-ms>,<p2p-port> ...
//                                  the sender's whole session list, in chunks;
//                                  <last> is 1 on the final chunk
//   CHANGED <node> <inc>           the store's change feed has news
//   DELIVER <node> <inc> <account> <stored-id> :<lines>
//                                  <stored-id> is committed (or 0): the node
//                                  that hands it over takes it off the queue
//   FORWARD <node> <inc> <account> <id> :<lines>
//                                  message <id> is being stored: hand it over
//                                  and answer HANDED; the sender's node takes
//                                  it off the queue once both are done
//   HANDED <node> <inc> <id>       to the node that forwarded <id>
//   BCAST  <node> <inc> <sender> :<lines>
//   KICK   <node> <inc> <account> <bye-reason>
//   LOCKOUT <node> <inc> <account> <failures> <locked-until-ms> <last-failure-ms> :<address>
//   INVITE <node> <inc> <invitee> <inviter> :<invite-id> <INVITED line>
//   ANSWER <node> <inc> :<invite-id> <ACCEPTED or DECLINED line>
//   UNINVITE <node> <inc> <invitee> :<invite-id>
//   SYNC   <node> <inc> <token>   apply what I said before, then ACK
//   ACK    <node> <inc> <token>   to the node that asked
//
// Pure code: no sockets, no bus.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caucus::cluster {

struct Event {
  enum class Kind {
    kAttach,
    kDetach,
    kPorts,
    kSessions,
    kHello,
    kChanged,
    kDeliver,
    kForward,
    kHanded,
    kBroadcast,
    kKick,
    kLockout,
    kInvite,
    kAnswer,
    kUninvite,
    kSync,
    kAck,
    kGone
  };
  Kind kind = Kind::kHello;
  std::string node;
  std::string incarnation;
  int64_t account = 0;  // the subject, or the sender of a broadcast
  uint64_t session = 0;
  int64_t login_ms = 0;
  int64_t number = 0;    // p2p port, message id, bye reason, failures, last, or fenced
  int64_t until_ms = 0;  // LOCKOUT: locked until
  int64_t last_ms = 0;   // LOCKOUT: the last failure
  std::string lines;     // DELIVER, FORWARD, BCAST: protocol lines; LOCKOUT: the address;
                         // GONE: the incarnation declared gone
};

// One session in a SESSIONS event.
struct SessionEntry {
  int64_t account = 0;
  uint64_t session = 0;
  int64_t login_ms = 0;
  int64_t p2p_tcp = 0;
  bool operator==(const SessionEntry&) const = default;
};

std::string EncodeSessions(const std::vector<SessionEntry>& sessions);
// Nullopt when `text` is not a session list.
std::optional<std::vector<SessionEntry>> DecodeSessions(std::string_view text);

std::string Encode(const Event& e);
// Nullopt when `text` is not an event of this version.
std::optional<Event> Decode(std::string_view text);

// Node ids and incarnations are single words of [A-Za-z0-9._:-], at most 64
// bytes: they go into bus subjects too.
bool IsNodeId(std::string_view id);

}  // namespace caucus::cluster
