#include "core/presence.h"

#include <algorithm>

#include "core/peer.h"
#include "protocol/line_builder.h"

namespace caucus::core {

void DeliverTo(const Account& account, const protocol::SharedLine& line) {
  for (Session* s : account.sessions) {
    if (s->peer) s->peer->Deliver(line);
  }
}

bool Presence::Attach(Session& session) {
  Account& account = *session.account;
  const bool was_online = account.online();
  account.sessions.push_back(&session);
  account.last_login_ms = std::max(account.last_login_ms, session.login_ms);
  if (was_online) return false;
  CameOnline(account, session.login_ms);
  return true;
}

bool Presence::Detach(Session& session) {
  Account& account = *session.account;
  auto& list = account.sessions;
  auto it = std::find(list.begin(), list.end(), &session);
  if (it == list.end()) return false;
  list.erase(it);
  if (account.online()) return false;
  MaybeWentOffline(account);
  return true;
}

void Presence::CameOnline(Account& account, TimeMs when) {
  account.online_slot = online_.size();
  online_.push_back(&account);
  Announce(account, true, when);
}

void Presence::MaybeWentOffline(Account& account) {
  if (account.online()) return;
  // Swap-remove from the online list, keeping the moved account's slot right.
  Account* last = online_.back();
  online_[account.online_slot] = last;
  last->online_slot = account.online_slot;
  online_.pop_back();
  Announce(account, false, clock_.Now());
}

void Presence::RemoteAttach(Account& account, const RemoteSession& session) {
  for (const RemoteSession& r : account.remote) {
    if (r.node == session.node && r.session == session.session) return;  // heard twice
  }
  const bool was_online = account.online();
  account.remote.push_back(session);
  account.last_login_ms = std::max(account.last_login_ms, session.login_ms);
  if (!was_online) CameOnline(account, session.login_ms);
}

void Presence::RemoteDetach(Account& account, uint16_t node, uint64_t session) {
  auto& list = account.remote;
  auto it = std::find_if(list.begin(), list.end(), [&](const RemoteSession& r) {
    return r.node == node && r.session == session;
  });
  if (it == list.end()) return;
  list.erase(it);
  MaybeWentOffline(account);
}

void Presence::RemotePorts(Account& account, uint16_t node, uint64_t session, uint16_t p2p_tcp) {
  for (RemoteSession& r : account.remote) {
    if (r.node == node && r.session == session) r.p2p_tcp = p2p_tcp;
  }
}

void Presence::RemoteSnapshot(uint16_t node, const std::vector<uint64_t>& kept) {
  std::vector<uint64_t> sorted = kept;
  std::sort(sorted.begin(), sorted.end());
  const std::vector<Account*> online = online_;
  for (Account* a : online) {
    auto& list = a->remote;
    const size_t before = list.size();
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const RemoteSession& r) {
                                return r.node == node &&
                                       !std::binary_search(sorted.begin(), sorted.end(), r.session);
                              }),
               list.end());
    if (list.size() != before) MaybeWentOffline(*a);
  }
}

void Presence::NodeGone(uint16_t node) {
  // online_ changes while accounts go offline: walk a copy.
  const std::vector<Account*> online = online_;
  for (Account* a : online) {
    auto& list = a->remote;
    const size_t before = list.size();
    list.erase(std::remove_if(list.begin(), list.end(),
                              [node](const RemoteSession& r) { return r.node == node; }),
               list.end());
    if (list.size() != before) MaybeWentOffline(*a);
  }
}

void Presence::Announce(const Account& subject, bool online, TimeMs when) {
  std::string text;
  protocol::LineBuilder(text)
      .Word("PRESENCE")
      .Word(subject.name)
      .Word(online ? "online" : "offline")
      .Time(when)
      .End();
  const auto line = protocol::SharedLine::Copy(text);
  for (const Account* other : online_) {
    if (other == &subject || subject.Blocks(other->id)) continue;
    DeliverTo(*other, line);
  }
}

std::vector<WhoEntry> Presence::Who(const Account& viewer, std::optional<int64_t> recent_seconds) {
  std::vector<WhoEntry> out;
  for (const Account* a : online_) {
    if (a == &viewer || a->Blocks(viewer.id)) continue;
    bool p2p = false;
    for (const Session* s : a->sessions) p2p = p2p || s->p2p_tcp != 0;
    for (const RemoteSession& r : a->remote) p2p = p2p || r.p2p_tcp != 0;
    out.push_back({a, a->last_login_ms, true, p2p});
  }
  if (recent_seconds) {
    const TimeMs since = clock_.Now() - *recent_seconds * 1000;
    directory_.ForEach([&](const Account& a) {
      if (a.online() || &a == &viewer || a.last_login_ms == 0 || a.last_login_ms < since) return;
      if (a.Blocks(viewer.id)) return;
      out.push_back({&a, a.last_login_ms, false, false});
    });
  }
  std::sort(out.begin(), out.end(),
            [](const WhoEntry& x, const WhoEntry& y) { return x.account->key < y.account->key; });
  return out;
}

}  // namespace caucus::core
