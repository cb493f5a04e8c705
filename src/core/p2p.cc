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

bool PeerBroker::TakesInvitations(const Account& a) {
  for (const Session* s : a.sessions) {
    if (s->p2p_tcp != 0) return true;
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
  invitations_.emplace(id, std::move(inv));
  return id;
}

Outcome<std::string> PeerBroker::Accept(SessionRef s, const std::string& id) {
  auto it = invitations_.find(id);
  if (it == invitations_.end() || it->second.invitee != s->account->id || s->p2p_tcp == 0 ||
      it->second.inviter == nullptr) {
    return Fail(Code::kNoSuchInvite);
  }
  const std::string ticket = NewReceipt();
  std::string text;
  protocol::LineBuilder b(text);
  b.Word("ACCEPTED").Word(id).Word(s->account->name).Word(s->address).Int(s->p2p_tcp);
  if (s->p2p_udp) {
    b.Int(s->p2p_udp);
  } else {
    b.Word("-");
  }
  b.Word(ticket).End();
  Emit(it->second.inviter, text);
  Forget(id);
  return ticket;
}

Outcome<Ok> PeerBroker::Decline(SessionRef s, const std::string& id) {
  auto it = invitations_.find(id);
  if (it == invitations_.end() || it->second.invitee != s->account->id || s->p2p_tcp == 0) {
    return Fail(Code::kNoSuchInvite);
  }
  Declined(id);
  return Ok{};
}

void PeerBroker::Declined(const std::string& id) {
  auto it = invitations_.find(id);
  if (it == invitations_.end()) return;
  const Account* invitee = w_.directory.Get(it->second.invitee);
  std::string text;
  protocol::LineBuilder(text).Word("DECLINED").Word(id).Word(invitee ? invitee->name : "-").End();
  Emit(it->second.inviter, text);
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
  std::vector<std::string> declined;
  for (const auto& [id, inv] : invitations_) {
    if (inv.invitee == s.account->id) declined.push_back(id);
  }
  for (const auto& id : declined) Declined(id);
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
