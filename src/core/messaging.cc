#include "core/messaging.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/peer.h"
#include "core/text.h"
#include "protocol/line_builder.h"

namespace caucus::core {

using protocol::Code;

protocol::SharedLine Messaging::FormatMsg(int64_t id, TimeMs time, const std::string& from,
                                          const char* kind, const std::string& text) {
  std::string out;
  out.reserve(64 + from.size() + text.size());
  protocol::LineBuilder(out)
      .Word("MSG")
      .Int(id)
      .Time(time)
      .Word(from)
      .Word(kind)
      .Trailing(text)
      .End();
  return protocol::SharedLine::Copy(out);
}

void Messaging::Log(store::MessageRecord record, std::function<void(bool)> logged) {
  const bool wait = w_.log_writes_in_flight >= w_.config.log_writes_in_flight;
  ++w_.log_writes_in_flight;
  w_.store.AppendMessage(std::move(record), false,
                         [this, wait, logged](store::Result<store::Done> r) {
                           --w_.log_writes_in_flight;
                           if (!r.ok()) spdlog::error("message log: {}", r.status().message());
                           if (wait) logged(r.ok());
                         });
  if (!wait) logged(true);
}

void Messaging::Send(SessionRef s, const std::string& to, std::string text, Reply<Sent> done) {
  if (auto f = CheckText(text, w_.config.max_text)) return done(*f);
  Account& me = *s->account;
  Account* other = w_.directory.Find(to);
  if (other == nullptr) return done(Fail(Code::kNoSuchUser));
  if (other == &me) return done(Fail(Code::kSelf));
  if (other->Blocks(me.id)) return done(Fail(Code::kBlocked));

  const int64_t id = ++last_id_;
  const TimeMs now = w_.clock.Now();
  store::MessageRecord record{id, now, me.id, other->id, std::move(text)};
  if (other->online()) {
    DeliverTo(*other, FormatMsg(id, now, me.name, "dm", record.text));
    Log(std::move(record), [id, now, done = std::move(done)](bool ok) {
      if (!ok) return done(Fail(Code::kInternal));
      done(Sent{id, now, true});
    });
    return;
  }
  other->maybe_queued = true;  // before the store: a login now must look
  ++other->queued_stores;
  w_.store.AppendMessage(std::move(record), true,
                         [id, now, done = std::move(done)](store::Result<store::Done> r) {
                           if (!r.ok()) return done(Fail(Code::kInternal));
                           done(Sent{id, now, false});
                         });
}

void Messaging::Broadcast(SessionRef s, std::string text, Reply<Broadcasted> done) {
  if (auto f = CheckText(text, w_.config.max_text)) return done(*f);
  Account& me = *s->account;
  const int64_t id = ++last_id_;
  const TimeMs now = w_.clock.Now();
  const protocol::SharedLine line = FormatMsg(id, now, me.name, "broadcast", text);
  int delivered = 0;
  int withheld = 0;
  for (const Account* other : w_.presence.online()) {
    if (other == &me) continue;
    if (other->Blocks(me.id)) {
      ++withheld;
      continue;
    }
    DeliverTo(*other, line);
    ++delivered;
  }
  Log({id, now, me.id, 0, std::move(text)},
      [id, now, delivered, withheld, done = std::move(done)](bool ok) {
        if (!ok) return done(Fail(Code::kInternal));
        done(Broadcasted{id, now, delivered, withheld});
      });
}

void Messaging::Block(SessionRef s, const std::string& name, Reply<std::string> done) {
  Account& me = *s->account;
  Account* other = w_.directory.Find(name);
  if (other == nullptr) return done(Fail(Code::kNoSuchUser));
  if (other == &me) return done(Fail(Code::kSelf));
  if (me.Blocks(other->id)) return done(Fail(Code::kAlreadyBlocked));
  const AccountId mine = me.id;
  const AccountId theirs = other->id;
  w_.store.SetBlock({mine, theirs}, true, w_.clock.Now(),
                    [this, mine, theirs, done = std::move(done)](store::Result<store::Done> r) {
                      if (!r.ok()) return done(Fail(Code::kInternal));
                      Account* me = w_.directory.Get(mine);
                      auto& list = me->blocked;
                      auto at = std::lower_bound(list.begin(), list.end(), theirs);
                      if (at == list.end() || *at != theirs) list.insert(at, theirs);
                      done(w_.directory.Get(theirs)->name);
                    });
}

void Messaging::Unblock(SessionRef s, const std::string& name, Reply<std::string> done) {
  Account& me = *s->account;
  Account* other = w_.directory.Find(name);
  if (other == nullptr) return done(Fail(Code::kNoSuchUser));
  if (!me.Blocks(other->id)) return done(Fail(Code::kNotBlocked));
  const AccountId mine = me.id;
  const AccountId theirs = other->id;
  w_.store.SetBlock({mine, theirs}, false, w_.clock.Now(),
                    [this, mine, theirs, done = std::move(done)](store::Result<store::Done> r) {
                      if (!r.ok()) return done(Fail(Code::kInternal));
                      Account* me = w_.directory.Get(mine);
                      Account* other = w_.directory.Get(theirs);
                      auto& list = me->blocked;
                      list.erase(std::remove(list.begin(), list.end(), theirs), list.end());
                      done(other->name);
                      // The block hid this account from the other: now it
                      // may see that it is online.
                      if (me->online() && other->online()) {
                        std::string text;
                        protocol::LineBuilder(text)
                            .Word("PRESENCE")
                            .Word(me->name)
                            .Word("online")
                            .Time(me->last_login_ms)
                            .End();
                        DeliverTo(*other, protocol::SharedLine::Copy(text));
                      }
                    });
}

std::vector<std::string> Messaging::Blocks(const Session& s) const {
  std::vector<std::string> names;
  for (AccountId id : s.account->blocked) {
    if (const Account* a = w_.directory.Get(id)) names.push_back(a->name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void Messaging::DeliverQueued(SessionRef s, std::function<void()> done) {
  Account& account = *s->account;
  if (!account.maybe_queued) return done();  // nothing stored for it: no store round trip
  const AccountId me = account.id;
  const uint32_t stores = account.queued_stores;
  w_.store.TakeQueued(me, [this, s, me, stores, done = std::move(done)](
                              store::Result<std::vector<store::MessageRecord>> r) {
    if (!r.ok()) spdlog::error("s{} reading stored messages: {}", s->id, r.status().message());
    if (!r.ok() || s->ended || s->account == nullptr || s->account->id != me) return done();
    std::vector<int64_t> handed;
    for (const auto& m : *r) {
      const Account* from = w_.directory.Get(m.sender);
      if (from == nullptr || s->account->Blocks(m.sender)) continue;  // held back
      s->peer->Deliver(FormatMsg(m.id, m.time_ms, from->name, "dm", m.text));
      handed.push_back(m.id);
    }
    // All taken and nothing stored since: the next login need not look.
    if (handed.size() == r->size() && s->account->queued_stores == stores) {
      s->account->maybe_queued = false;
    }
    if (!handed.empty()) {
      w_.store.AckQueued(me, std::move(handed), [this, me](store::Result<store::Done> acked) {
        if (acked.ok()) return;
        // Still queued: delivered again (same ids) at a later login.
        if (Account* a = w_.directory.Get(me)) a->maybe_queued = true;
      });
    }
    done();
  });
}

void Messaging::History(SessionRef s, const std::string& with, int64_t before_id, int limit,
                        Reply<HistoryPage> done) {
  Account* other = w_.directory.Find(with);
  if (other == nullptr) return done(Fail(Code::kNoSuchUser));
  limit = std::clamp(limit, 1, w_.config.history_page);
  w_.store.History(s->account->id, other->id, before_id, limit,
                   [name = other->name,
                    done = std::move(done)](store::Result<std::vector<store::MessageRecord>> r) {
                     if (!r.ok()) return done(Fail(Code::kInternal));
                     HistoryPage page{name, std::move(*r)};
                     std::reverse(page.messages.begin(), page.messages.end());
                     done(std::move(page));
                   });
}

}  // namespace caucus::core
