#include "client/p2p/peer_control.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>

#include "client/input/signals.h"
#include "client/p2p/file_digest.h"
#include "protocol/names.h"

namespace caucus::client {
namespace {

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool PeerControl::Ready() {
  if (agent_) return true;
  if (!settings_.enabled) {
    ctx_.out.Error("peer to peer is off (--no-p2p)");
  } else {
    ctx_.out.Error("peer to peer is not available (the client could not listen)");
  }
  return false;
}

void PeerControl::Announce() {
  if (!settings_.enabled) return;
  if (!agent_ && !failed_to_start_) {
    PeerAgent::Options o;
    o.port = settings_.port;
    o.payload = settings_.payload;
    o.downloads = settings_.downloads;
    std::string error;
    agent_ = PeerAgent::Start(o, &error);
    if (!agent_) {
      failed_to_start_ = true;
      ctx_.out.Error("peer to peer is off: " + error);
      return;
    }
  }
  if (!agent_) return;
  if (told_ports_ && (!sent_.empty() || !received_.empty())) {
    // A new session: the server dropped the invitations of the old one.
    sent_.clear();
    received_.clear();
    ctx_.out.Peer({"dropped", "invitations made before the reconnection were dropped", {}, false});
  }
  const uint16_t udp = settings_.announce_udp ? settings_.announce_udp : agent_->udp_port();
  const Request request{
      "P2P", {std::to_string(agent_->tcp_port()), std::to_string(udp)}, std::nullopt};
  const CallResult r = ctx_.server.Call(request);
  if (!r.answered()) return;
  if (!r.reply.ok) {
    ctx_.out.ShowReply(request, r.reply);
    return;
  }
  if (told_ports_) return;
  told_ports_ = true;
  const std::string tcp = std::to_string(agent_->tcp_port());
  const std::string listening = std::to_string(agent_->udp_port());
  ctx_.out.Peer({"listening",
                 "taking private chats on TCP port " + tcp + " and files on UDP port " + listening,
                 {{"tcp", tcp}, {"udp", listening}},
                 false});
}

bool PeerControl::OnPeerEvent(const Line& e) {
  if (e.verb == "INVITED") {
    Invitation inv;
    inv.id = e.Param(0);
    inv.peer = e.Param(1);
    inv.file = e.Param(2) == "file";
    if (inv.file) {
      inv.incoming.id = inv.id;
      inv.incoming.from = inv.peer;
      inv.incoming.name = e.Param(5);
      const auto sha = FromHex(e.Param(4));
      int64_t size = 0;
      if (!sha || !protocol::ParseCount(e.Param(3), &size)) return false;
      inv.incoming.size = static_cast<uint64_t>(size);
      inv.incoming.sha256 = *sha;
      if (settings_.accept_files && agent_) {
        to_accept_.push_back(inv.id);
        agent_->Poke();
      }
      ctx_.out.Peer({"invited",
                     inv.peer + " offers you the file " + inv.incoming.name + " (" + e.Param(3) +
                         " bytes, SHA-256 " + e.Param(4) + "): accept " + inv.id + " or decline " +
                         inv.id,
                     {{"id", inv.id},
                      {"from", inv.peer},
                      {"kind", "file"},
                      {"file", inv.incoming.name},
                      {"size", e.Param(3)},
                      {"sha256", e.Param(4)}},
                     false});
    } else {
      ctx_.out.Peer(
          {"invited",
           inv.peer + " asks you for a private chat: accept " + inv.id + " or decline " + inv.id,
           {{"id", inv.id}, {"from", inv.peer}, {"kind", "chat"}},
           false});
    }
    received_[inv.id] = std::move(inv);
    return true;
  }
  if (e.verb == "ACCEPTED") {
    auto it = sent_.find(e.Param(0));
    if (it == sent_.end() || !agent_) return true;
    Invitation inv = std::move(it->second);
    sent_.erase(it);
    int64_t tcp = 0, udp = 0;
    const std::string& host = e.Param(2);
    protocol::ParseCount(e.Param(3), &tcp);
    const bool has_udp = protocol::ParseCount(e.Param(4), &udp) && udp > 0 && udp <= 65535;
    const std::string& ticket = e.Param(5);
    if (!inv.file) {
      ctx_.out.Peer({"accepted",
                     inv.peer + " accepted the private chat; connecting",
                     {{"id", inv.id}, {"peer", inv.peer}, {"kind", "chat"}},
                     false});
      agent_->OpenChat(inv.peer, host, static_cast<uint16_t>(tcp), ticket);
    } else if (!has_udp) {
      ctx_.out.Peer(
          {"failed",
           inv.peer + " accepted " + inv.outgoing.name + " but takes no files (no UDP port)",
           {{"id", inv.id}, {"peer", inv.peer}},
           true});
    } else {
      inv.outgoing.host = host;
      inv.outgoing.port = static_cast<uint16_t>(udp);
      inv.outgoing.ticket = ticket;
      agent_->SendFile(std::move(inv.outgoing));
    }
    return true;
  }
  if (e.verb == "DECLINED") {
    auto it = sent_.find(e.Param(0));
    const std::string what = it == sent_.end() ? "the invitation"
                             : it->second.file ? "the file " + it->second.outgoing.name
                                               : "the private chat";
    ctx_.out.Peer({"declined",
                   e.Param(1) + " declined " + what + " (or did not answer in time)",
                   {{"id", e.Param(0)}, {"peer", e.Param(1)}},
                   true});
    if (it != sent_.end()) sent_.erase(it);
    return true;
  }
  return false;
}

void PeerControl::Service() {
  if (!agent_) return;
  for (auto& notice : agent_->TakeNotices()) ctx_.out.Peer(notice);
  std::vector<std::string> ids;
  ids.swap(to_accept_);
  for (const auto& id : ids) Accept(id);
}

Outcome PeerControl::Invite(const Request& request, Invitation inv) {
  const CallResult r = ctx_.server.Call(request);
  if (!r.answered()) return Unanswered(ctx_, r);
  if (!r.reply.ok) {
    ctx_.out.ShowReply(request, r.reply);
    return Failed(r.reply);
  }
  inv.id = r.reply.Param(0);
  inv.outgoing.id = inv.id;
  ctx_.out.Peer({"invite_sent",
                 inv.file ? "offered " + inv.outgoing.name + " to " + inv.peer +
                                "; it goes once they accept (invitation " + inv.id + ")"
                          : "asked " + inv.peer + " for a private chat (invitation " + inv.id + ")",
                 {{"id", inv.id}, {"peer", inv.peer}, {"kind", inv.file ? "file" : "chat"}},
                 false});
  sent_[inv.id] = std::move(inv);
  return Outcome::kOk;
}

Outcome PeerControl::Talk(const std::string& user) {
  if (!Ready()) return Outcome::kFailed;
  Invitation inv;
  inv.peer = user;
  return Invite({"INVITE", {user, "chat"}, std::nullopt}, std::move(inv));
}

Outcome PeerControl::SendFile(const std::string& user, const std::string& path) {
  if (!Ready()) return Outcome::kFailed;
  std::string error;
  const auto digest = DigestFile(path, &error);
  if (!digest) {
    ctx_.out.Error(error);
    return Outcome::kFailed;
  }
  std::string name = BaseName(path);
  if (name.empty() || name.size() > 255) {
    ctx_.out.Error("the file name must be 1 to 255 bytes");
    return Outcome::kFailed;
  }
  Invitation inv;
  inv.peer = user;
  inv.file = true;
  inv.outgoing.to = user;
  inv.outgoing.path = path;
  inv.outgoing.name = name;
  inv.outgoing.size = digest->size;
  inv.outgoing.sha256 = digest->sha256;
  return Invite(
      {"INVITE", {user, "file", std::to_string(digest->size), ToHex(digest->sha256)}, name},
      std::move(inv));
}

std::string PeerControl::Resolve(const std::string& which) {
  if (received_.count(which)) return which;
  const std::string folded = protocol::FoldName(which);
  std::vector<const Invitation*> from;
  for (const auto& [id, inv] : received_) {
    if (protocol::FoldName(inv.peer) == folded) from.push_back(&inv);
  }
  if (from.size() == 1) return from.front()->id;
  // None: maybe an id this client did not see; the server knows.
  if (from.empty()) return which;
  std::string list;
  for (const Invitation* inv : from) {
    list += "\n  " + inv->id + "  " +
            (inv->file ? "the file " + inv->incoming.name : std::string("a private chat"));
  }
  ctx_.out.Error(which + " has several invitations waiting; name one by its id:" + list);
  return {};
}

std::vector<std::string> PeerControl::Answerable() const {
  std::vector<std::string> out;
  for (const auto& [id, inv] : received_) {
    out.push_back(id);
    if (std::find(out.begin(), out.end(), inv.peer) == out.end()) out.push_back(inv.peer);
  }
  return out;
}

Outcome PeerControl::Accept(const std::string& which) {
  if (!Ready()) return Outcome::kFailed;
  const std::string id = Resolve(which);
  if (id.empty()) return Outcome::kFailed;
  const Request request{"ACCEPT", {id}, std::nullopt};
  agent_->BeginAccept();
  const CallResult r = ctx_.server.Call(request);
  Outcome outcome = Outcome::kOk;
  if (!r.answered()) {
    outcome = Unanswered(ctx_, r);
  } else if (!r.reply.ok) {
    ctx_.out.ShowReply(request, r.reply);
    outcome = Failed(r.reply);
  } else {
    const std::string ticket = r.reply.Param(1);
    auto it = received_.find(id);
    if (it == received_.end()) {
      ctx_.out.Error("accepted " + id + ", but this client did not see that invitation");
    } else if (it->second.file) {
      agent_->ExpectFile(ticket, it->second.incoming);
      ctx_.out.Peer({"accepted",
                     "accepted " + it->second.incoming.name + " from " + it->second.peer +
                         "; waiting for the data",
                     {{"id", id}, {"peer", it->second.peer}, {"kind", "file"}},
                     false});
    } else {
      agent_->ExpectChat(ticket, it->second.peer);
      ctx_.out.Peer(
          {"accepted",
           "accepted the private chat with " + it->second.peer + "; waiting for them to connect",
           {{"id", id}, {"peer", it->second.peer}, {"kind", "chat"}},
           false});
    }
    if (it != received_.end()) received_.erase(it);
  }
  agent_->EndAccept();
  return outcome;
}

Outcome PeerControl::Decline(const std::string& which) {
  if (!Ready()) return Outcome::kFailed;
  const std::string id = Resolve(which);
  if (id.empty()) return Outcome::kFailed;
  const Request request{"DECLINE", {id}, std::nullopt};
  const CallResult r = ctx_.server.Call(request);
  if (!r.answered()) return Unanswered(ctx_, r);
  if (!r.reply.ok) {
    ctx_.out.ShowReply(request, r.reply);
    return Failed(r.reply);
  }
  received_.erase(id);
  ctx_.out.Peer({"declined_by_you", "declined " + id, {{"id", id}}, false});
  return Outcome::kOk;
}

Outcome PeerControl::Say(const std::string& user, const std::string& text) {
  if (!Ready()) return Outcome::kFailed;
  const std::string error = agent_->Say(user, text);
  if (!error.empty()) {
    ctx_.out.Error(error);
    return Outcome::kFailed;
  }
  ctx_.out.Peer({"private_sent",
                 "[private] you to " + user + ": " + text,
                 {{"to", user}, {"message", text}},
                 false});
  // Writing is activity: the server's idle timer starts again. The answer
  // does not matter; a lost connection is noticed by the caller.
  ctx_.server.Call({"WHOAMI", {}, std::nullopt});
  return Outcome::kOk;
}

Outcome PeerControl::EndTalk(const std::string& user) {
  if (!Ready()) return Outcome::kFailed;
  const std::string error = agent_->EndChat(user);
  if (!error.empty()) {
    ctx_.out.Error(error);
    return Outcome::kFailed;
  }
  ctx_.out.Peer({"chat_closed",
                 "private chat with " + user + " closed",
                 {{"peer", user}, {"reason", "you ended it"}},
                 false});
  return Outcome::kOk;
}

bool PeerControl::Busy() const {
  if (!agent_) return false;
  if (agent_->transfers() > 0 || !to_accept_.empty()) return true;
  for (const auto& [id, inv] : sent_) {
    if (inv.file) return true;
  }
  return false;
}

PeerControl::Settings PeerSettings(const Options& o) {
  PeerControl::Settings s;
  s.enabled = !o.no_p2p;
  s.port = static_cast<uint16_t>(o.p2p_port);
  s.payload = static_cast<uint16_t>(o.p2p_payload);
  s.downloads = o.downloads;
  s.accept_files = o.accept_files;
  s.announce_udp = static_cast<uint16_t>(o.p2p_announce_udp);
  return s;
}

bool WaitForPeers(PeerControl& peers, Link& link) {
  while (true) {
    peers.Service();
    if (!peers.Busy()) return true;
    if (signals::QuitRequested()) return false;
    if (!link.Service()) return true;  // the server is gone: so are the invitations
    pollfd p[3] = {{peers.fd(), POLLIN, 0}, {signals::WakeFd(), POLLIN, 0}, {link.fd(), POLLIN, 0}};
    if (::poll(p, 3, 1000) < 0 && errno != EINTR) return true;
    if (p[1].revents & POLLIN) signals::Drain();
  }
}

}  // namespace caucus::client
