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
  account.sessions.push_back(&session);
  account.last_login_ms = std::max(account.last_login_ms, session.login_ms);
  if (account.sessions.size() > 1) return false;
  account.online_slot = online_.size();
  online_.push_back(&account);
  Announce(account, true, session.login_ms);
  return true;
}

bool Presence::Detach(Session& session) {
  Account& account = *session.account;
  auto& list = account.sessions;
  auto it = std::find(list.begin(), list.end(), &session);
  if (it == list.end()) return false;
  list.erase(it);
  if (!list.empty()) return false;
  // Swap-remove from the online list, keeping the moved account's slot right.
  Account* last = online_.back();
  online_[account.online_slot] = last;
  last->online_slot = account.online_slot;
  online_.pop_back();
  Announce(account, false, clock_.Now());
  return true;
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
