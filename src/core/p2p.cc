#include "core/p2p.h"

#include "core/peer.h"
#include "core/presence.h"
#include "core/secrets.h"
#include "protocol/line_builder.h"
#include "protocol/names.h"

namespace caucus::core {

using protocol::Code;

namespace {

void Emit(Session* s, const std::string& text) {
  if (s && s->peer) s->peer->Deliver(protocol::SharedLine::Copy(text));
}

}  // namespace

bool PeerBroker::TakesInvitationsHere(const Account& a) {
  for (const Session* s : a.sessions) {
    if (s->p2p_tcp != 0) return true;
  }
  return false;
}

bool PeerBroker::TakesInvitations(const Account& a) {
  if (TakesInvitationsHere(a)) return true;
  for (const RemoteSession& r : a.remote) {
    if (r.p2p_tcp != 0) return true;
  }
  return false;
}

std::pair<int, int> PeerBroker::Announce(Session& s, uint16_t tcp, uint16_t udp) {
  if (tcp == 0) udp = 0;
  s.p2p_tcp = tcp;
  s.p2p_udp = udp;
  if (w_.cluster && s.logged_in()) w_.cluster->PortsChanged(s);
  if (tcp == 0) NoLongerInvitable(s);
  return {tcp, udp};
}

Outcome<std::string> PeerBroker::Invite(SessionRef s, const std::string& name,
                                        std::optional<FileOffer> file) {
  Account& me = *s->account;
  Account* other = w_.directory.Find(name);
  if (other == nullptr) return Fail(Code::kNoSuchUser);
  if (other == &me) return Fail(Code::kSelf);
  if (other->Blocks(me.id)) return Fail(Code::kBlocked);
  if (!other->online()) return Fail(Code::kNotOnline);
  if (!TakesInvitations(*other)) return Fail(Code::kNoP2P);

  Invitation inv{NewShortId(), s.get(), me.name, other->id, file, 0};
  const std::string id = inv.id;
  inv.timer = w_.scheduler.At(w_.clock.Now() + kInviteLifetimeMs, [this, id] {
    if (auto it = invitations_.find(id); it != invitations_.end()) {
      it->second.timer = 0;
      Declined(id);
    }
  });
  std::string text;
  protocol::LineBuilder b(text);
  b.Word("INVITED").Word(id).Word(me.name);
  if (file) {
    b.Word("file").Int(file->size).Word(file->sha256).Trailing(file->name);
  } else {
    b.Word("chat");
  }
  b.End();
  const auto line = protocol::SharedLine::Copy(text);
  for (Session* target : other->sessions) {
    if (target->p2p_tcp != 0 && target->peer) target->peer->Deliver(line);
  }
  if (w_.cluster && !other->remote.empty()) w_.cluster->Invite(*other, me.id, id, text);
  invitations_.emplace(id, std::move(inv));
  return id;
}

std::string PeerBroker::AcceptedLine(const Session& s, const std::string& id, std::string* ticket) {
  *ticket = NewReceipt();
  std::string text;
  protocol::LineBuilder b(text);
  // The address is the invitee's as this node, where it is connected, sees it.
  b.Word("ACCEPTED").Word(id).Word(s.account->name).Word(s.address).Int(s.p2p_tcp);
  if (s.p2p_udp) {
    b.Int(s.p2p_udp);
  } else {
    b.Word("-");
  }
  b.Word(*ticket).End();
  return text;
}

Outcome<std::string> PeerBroker::Accept(SessionRef s, const std::string& id) {
  if (s->p2p_tcp == 0) return Fail(Code::kNoSuchInvite);
  std::string ticket;
  auto it = invitations_.find(id);
  if (it != invitations_.end() && it->second.invitee == s->account->id &&
      it->second.inviter != nullptr) {
    Emit(it->second.inviter, AcceptedLine(*s, id, &ticket));
    Forget(id);
    return ticket;
  }
  auto r = remote_.find(id);
  if (r == remote_.end() || r->second.invitee != s->account->id || w_.cluster == nullptr) {
    return Fail(Code::kNoSuchInvite);
  }
  w_.cluster->Answer(r->second.inviter_node, id, AcceptedLine(*s, id, &ticket));
  ForgetRemote(id);
  return ticket;
}

Outcome<Ok> PeerBroker::Decline(SessionRef s, const std::string& id) {
  if (s->p2p_tcp == 0) return Fail(Code::kNoSuchInvite);
  auto it = invitations_.find(id);
  if (it != invitations_.end() && it->second.invitee == s->account->id) {
    Declined(id);
    return Ok{};
  }
  auto r = remote_.find(id);
  if (r == remote_.end() || r->second.invitee != s->account->id || w_.cluster == nullptr) {
    return Fail(Code::kNoSuchInvite);
  }
  std::string text;
  protocol::LineBuilder(text).Word("DECLINED").Word(id).Word(s->account->name).End();
  w_.cluster->Answer(r->second.inviter_node, id, text);
  ForgetRemote(id);
  return Ok{};
}

void PeerBroker::RemoteInvite(NodeSlot from, AccountId invitee, const std::string& id,
                              const protocol::SharedLine& invited) {
  Account* a = w_.directory.Get(invitee);
  if (a == nullptr || !TakesInvitationsHere(*a) || remote_.count(id)) return;
  RemoteInvitation inv{from, invitee, 0};
  // The inviting node expires it too; this copy goes a little later.
  inv.timer = w_.scheduler.At(w_.clock.Now() + kInviteLifetimeMs + 5'000, [this, id] {
    if (auto it = remote_.find(id); it != remote_.end()) {
      it->second.timer = 0;
      ForgetRemote(id);
    }
  });
  remote_.emplace(id, inv);
  for (Session* target : a->sessions) {
    if (target->p2p_tcp != 0 && target->peer) target->peer->Deliver(invited);
  }
}

void PeerBroker::RemoteAnswer(const std::string& id, const protocol::SharedLine& answer) {
  auto it = invitations_.find(id);
  if (it == invitations_.end()) return;  // answered or expired meanwhile
  if (it->second.inviter && it->second.inviter->peer) it->second.inviter->peer->Deliver(answer);
  Forget(id);
}

void PeerBroker::RemoteUninvite(const std::string& id) { ForgetRemote(id); }

void PeerBroker::NodeGone(NodeSlot node) {
  std::vector<std::string> forgotten;
  for (const auto& [id, inv] : remote_) {
    if (inv.inviter_node == node) forgotten.push_back(id);
  }
  for (const auto& id : forgotten) ForgetRemote(id);
  std::vector<std::string> declined;
  for (const auto& [id, inv] : invitations_) {
    const Account* invitee = w_.directory.Get(inv.invitee);
    if (invitee == nullptr || !TakesInvitations(*invitee)) declined.push_back(id);
  }
  for (const auto& id : declined) Declined(id);
}

void PeerBroker::ForgetRemote(const std::string& id) {
  auto it = remote_.find(id);
  if (it == remote_.end()) return;
  if (it->second.timer) w_.scheduler.Cancel(it->second.timer);
  remote_.erase(it);
}

void PeerBroker::Declined(const std::string& id) {
  auto it = invitations_.find(id);
  if (it == invitations_.end()) return;
  const Account* invitee = w_.directory.Get(it->second.invitee);
  std::string text;
  protocol::LineBuilder(text).Word("DECLINED").Word(id).Word(invitee ? invitee->name : "-").End();
  Emit(it->second.inviter, text);
  if (w_.cluster && invitee && !invitee->remote.empty()) w_.cluster->Uninvite(*invitee, id);
  Forget(id);
}

void PeerBroker::Forget(const std::string& id) {
  auto it = invitations_.find(id);
  if (it == invitations_.end()) return;
  if (it->second.timer) w_.scheduler.Cancel(it->second.timer);
  invitations_.erase(it);
}

void PeerBroker::NoLongerInvitable(Session& s) {
  if (s.account == nullptr) return;
  for (const Session* other : s.account->sessions) {
    if (other != &s && other->p2p_tcp != 0) return;
  }
  // Invitations made here: declined unless a session elsewhere may answer.
  bool elsewhere = false;
  for (const RemoteSession& r : s.account->remote) elsewhere = elsewhere || r.p2p_tcp != 0;
  std::vector<std::string> declined;
  for (const auto& [id, inv] : invitations_) {
    if (inv.invitee == s.account->id && !elsewhere) declined.push_back(id);
  }
  for (const auto& id : declined) Declined(id);
  // Invitations made elsewhere: this node's sessions can no longer answer.
  std::vector<std::string> answered;
  for (const auto& [id, inv] : remote_) {
    if (inv.invitee == s.account->id) answered.push_back(id);
  }
  for (const auto& id : answered) {
    if (w_.cluster && !elsewhere) {
      std::string text;
      protocol::LineBuilder(text).Word("DECLINED").Word(id).Word(s.account->name).End();
      w_.cluster->Answer(remote_[id].inviter_node, id, text);
    }
    ForgetRemote(id);
  }
}

void PeerBroker::SessionEnded(Session& s) {
  if (s.account == nullptr) return;
  std::vector<std::string> dropped;
  for (const auto& [id, inv] : invitations_) {
    if (inv.inviter == &s) dropped.push_back(id);
  }
  for (const auto& id : dropped) Forget(id);
  NoLongerInvitable(s);
}

}  // namespace caucus::core
