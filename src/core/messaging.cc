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
  // Copied once into the shared line: one allocation per message, not two.
  // (Slot 1: a reply's buffer, slot 0, may be in use meanwhile.)
  std::string& out = protocol::ScratchLine<1>();
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

namespace {
constexpr int64_t kIdBlock = 10'000;
}  // namespace

int64_t Messaging::NextId(std::function<void()>& retry) {
  if (!id_blocks_) return ++last_id_;
  if (last_id_ + 1 >= block_end_ && next_block_ != 0) {
    last_id_ = next_block_ - 1;
    block_end_ = next_block_ + kIdBlock;
    next_block_ = 0;
  }
  if (last_id_ + 1 < block_end_) {
    const int64_t id = ++last_id_;
    if (next_block_ == 0 && block_end_ - last_id_ < kIdBlock / 2) Reserve();
    return id;
  }
  waiting_for_ids_.push_back(std::move(retry));
  Reserve();
  return 0;
}

void Messaging::Reserve() {
  if (reserving_) return;
  reserving_ = true;
  w_.store.ReserveMessageIds(kIdBlock, [this](store::Result<int64_t> r) {
    reserving_ = false;
    if (!r.ok()) spdlog::error("reserving message ids: {}", r.status().message());
    if (r.ok()) next_block_ = *r;
    auto waiting = std::move(waiting_for_ids_);
    waiting_for_ids_.clear();
    for (auto& fn : waiting) fn();  // fails again (and retries) if the store did
  });
}

bool Messaging::LogMustWait() const {
  return w_.log_writes_in_flight >= w_.config.log_writes_in_flight;
}

void Messaging::Log(store::MessageRecord record, std::function<void(bool)> logged) {
  const bool wait = LogMustWait();
  ++w_.log_writes_in_flight;
  if (!wait) {
    // Answered at once: a completion small enough for the function's own
    // storage (no allocation on a message's path).
    w_.store.AppendMessage(std::move(record), false, [this](store::Result<store::Done> r) {
      --w_.log_writes_in_flight;
      if (!r.ok()) spdlog::error("message log: {}", r.status().message());
    });
    if (logged) logged(true);
    return;
  }
  w_.store.AppendMessage(std::move(record), false,
                         [this, logged = std::move(logged)](store::Result<store::Done> r) {
                           --w_.log_writes_in_flight;
                           if (!r.ok()) spdlog::error("message log: {}", r.status().message());
                           if (logged) logged(r.ok());
                         });
}

void Messaging::Send(SessionRef s, const std::string& to, std::string text, Reply<Sent> done) {
  if (auto f = CheckText(text, w_.config.max_text)) return done(*f);
  if (Account* other = w_.directory.Find(to)) {
    return SendTo(std::move(s), *other, std::move(text), std::move(done));
  }
  w_.FindAccount(to, [this, s, text = std::move(text), done = std::move(done)](Account* other) {
    if (s->account == nullptr) return;  // the session ended meanwhile
    if (other == nullptr) return done(Fail(Code::kNoSuchUser));
    SendTo(s, *other, text, done);
  });
}

void Messaging::SendTo(SessionRef s, Account& to, std::string text, Reply<Sent> done) {
  Account& me = *s->account;
  Account* other = &to;
  if (other == &me) return done(Fail(Code::kSelf));
  if (other->Blocks(me.id)) return done(Fail(Code::kBlocked));

  std::function<void()> retry;
  if (id_blocks_) {
    retry = [this, s, to = other->id, text, done] {
      if (s->account == nullptr) return;
      if (Account* a = w_.directory.Get(to)) SendTo(s, *a, text, done);
    };
  }
  const int64_t id = NextId(retry);
  if (id == 0) return;
  const TimeMs now = w_.clock.Now();
  store::MessageRecord record{id, now, me.id, other->id, std::move(text)};
  if (other->online()) {
    const auto line = FormatMsg(id, now, me.name, "dm", record.text);
    DeliverTo(*other, line);
    if (w_.cluster && !other->remote.empty()) {
      if (other->sessions.empty()) {
        // Online only on other nodes: stored first, and taken off the queue
        // by the node that hands it over, so a lost bus message waits for
        // the next login instead of vanishing.
        return StoreThenDeliver(std::move(record), *other, line, std::move(done));
      }
      w_.cluster->DeliverTo(*other, line, 0);  // its other sessions, best effort
    }
    if (!LogMustWait()) {
      Log(std::move(record), nullptr);
      return done(Sent{id, now, true});
    }
    Log(std::move(record), [id, now, done = std::move(done)](bool ok) {
      if (!ok) return done(Fail(Code::kInternal));
      done(Sent{id, now, true});
    });
    return;
  }
  other->maybe_queued = true;  // before the store: a login now must look
  ++other->queued_stores;
  // With several nodes, the recipient may have logged in elsewhere while
  // this write was under way, its node reading the queue before the write
  // committed: once committed, a session heard of meanwhile is handed the
  // message (by id, so it is delivered once) as StoreThenDeliver does.
  std::string late_text = w_.cluster ? record.text : std::string();
  w_.store.AppendMessage(
      std::move(record), true,
      [this, id, now, from = w_.cluster ? me.name : std::string(), to = other->id,
       late_text = std::move(late_text), done = std::move(done)](store::Result<store::Done> r) {
        if (!r.ok()) return done(Fail(Code::kInternal));
        const Account* a = w_.directory.Get(to);
        if (w_.cluster && a && !a->remote.empty()) {
          w_.cluster->DeliverTo(*a, FormatMsg(id, now, from, "dm", late_text), id);
        } else if (w_.cluster) {
          // A session elsewhere not heard of yet may have read the queue
          // already: RemoteSessionHeard sends it when it is.
          constexpr size_t kMostRemembered = 100'000;
          if (stored_unseen_.size() >= kMostRemembered) stored_unseen_.clear();
          stored_unseen_[to] = w_.clock.Now();
        }
        done(Sent{id, now, false});
      });
}

void Messaging::StoreThenDeliver(store::MessageRecord record, Account& to,
                                 protocol::SharedLine line, Reply<Sent> done) {
  const int64_t id = record.id;
  const TimeMs now = record.time_ms;
  const AccountId recipient = to.id;
  to.maybe_queued = true;
  ++to.queued_stores;
  // Forwarded at once, not after the commit: the recipient reads it a bus
  // hop later, as a live message on one node reads it at once. Its node
  // answers once it handed it over; the acknowledgement waits for both, so
  // it never races the insert.
  constexpr TimeMs kForgetAfter = 60'000;
  constexpr size_t kMostForwarded = 100'000;
  while (!forwarded_.empty() && (forwarded_.begin()->second.since + kForgetAfter < now ||
                                 forwarded_.size() >= kMostForwarded)) {
    forwarded_.erase(forwarded_.begin());  // not handed over: stays queued
  }
  forwarded_[id] = Forwarded{recipient, now};
  w_.cluster->Forward(to, line, id);
  w_.store.AppendMessage(std::move(record), true,
                         [this, id, now, done = std::move(done)](store::Result<store::Done> r) {
                           auto it = forwarded_.find(id);
                           if (!r.ok()) {
                             if (it != forwarded_.end()) forwarded_.erase(it);
                             return done(Fail(Code::kInternal));
                           }
                           if (it != forwarded_.end()) {
                             it->second.stored = true;
                             if (it->second.handed) AckForwarded(it);
                           }
                           done(Sent{id, now, true});
                         });
}

void Messaging::AckForwarded(std::map<int64_t, Forwarded>::iterator it) {
  const int64_t id = it->first;
  const AccountId to = it->second.to;
  forwarded_.erase(it);
  w_.store.AckQueued(to, {id}, [](store::Result<store::Done> r) {
    if (!r.ok()) spdlog::error("acknowledging a delivered message: {}", r.status().message());
  });
}

void Messaging::RemoteHandedOver(int64_t id) {
  auto it = forwarded_.find(id);
  if (it == forwarded_.end()) return;  // acknowledged already, or forgotten
  it->second.handed = true;
  if (it->second.stored) AckForwarded(it);
}

bool Messaging::RemoteForward(AccountId to, const protocol::SharedLine& line, int64_t id) {
  Account* a = w_.directory.Get(to);
  if (a == nullptr || a->sessions.empty()) return false;  // stays queued for the next login
  if (FirstHandOver(id)) DeliverTo(*a, line);
  return true;
}

void Messaging::RemoteDeliver(AccountId to, const protocol::SharedLine& line, int64_t stored_id) {
  Account* a = w_.directory.Get(to);
  if (a == nullptr || a->sessions.empty()) return;  // stays stored for the next login
  if (stored_id == 0 || FirstHandOver(stored_id)) DeliverTo(*a, line);
  if (stored_id != 0) {
    w_.store.AckQueued(to, {stored_id}, [](store::Result<store::Done> r) {
      if (!r.ok()) spdlog::error("acknowledging a delivered message: {}", r.status().message());
    });
  }
}

void Messaging::RemoteBroadcast(AccountId sender, const protocol::SharedLine& line) {
  for (const Account* other : w_.presence.online()) {
    if (other->id == sender || other->sessions.empty() || other->Blocks(sender)) continue;
    DeliverTo(*other, line);
  }
}

void Messaging::Broadcast(SessionRef s, std::string text, Reply<Broadcasted> done) {
  if (auto f = CheckText(text, w_.config.max_text)) return done(*f);
  Account& me = *s->account;
  std::function<void()> retry;
  if (id_blocks_) {
    retry = [this, s, text, done] {
      if (s->account != nullptr) Broadcast(s, text, done);
    };
  }
  const int64_t id = NextId(retry);
  if (id == 0) return;
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
  if (w_.cluster) w_.cluster->Broadcast(me.id, line);
  Log({id, now, me.id, 0, std::move(text)},
      [id, now, delivered, withheld, done = std::move(done)](bool ok) {
        if (!ok) return done(Fail(Code::kInternal));
        done(Broadcasted{id, now, delivered, withheld});
      });
}

void Messaging::Block(SessionRef s, const std::string& name, Reply<std::string> done) {
  w_.FindAccount(name, [this, s, done = std::move(done)](Account* other) {
    if (s->account == nullptr) return;
    if (other == nullptr) return done(Fail(Code::kNoSuchUser));
    BlockNow(s, *other, done);
  });
}

void Messaging::BlockNow(SessionRef s, Account& whom, Reply<std::string> done) {
  Account& me = *s->account;
  Account* other = &whom;
  if (other == &me) return done(Fail(Code::kSelf));
  if (me.Blocks(other->id)) return done(Fail(Code::kAlreadyBlocked));
  const AccountId mine = me.id;
  const AccountId theirs = other->id;
  w_.store.SetBlock({mine, theirs}, true, w_.clock.Now(),
                    [this, mine, theirs, done = std::move(done)](store::Result<store::Done> r) {
                      if (!r.ok()) return done(Fail(Code::kInternal));
                      w_.Changed();
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
                      w_.Changed();
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
  // Nothing stored for it: no store round trip. Other nodes store for it
  // without telling this one, so with several nodes the store is asked.
  if (!account.maybe_queued && w_.cluster == nullptr) return done();
  const AccountId me = account.id;
  const uint32_t stores = account.queued_stores;
  w_.store.TakeQueued(me, [this, s, me, stores, done = std::move(done)](
                              store::Result<std::vector<store::MessageRecord>> r) {
    if (!r.ok()) spdlog::error("s{} reading stored messages: {}", s->id, r.status().message());
    if (!r.ok() || s->ended || s->account == nullptr || s->account->id != me) return done();
    const size_t handed = HandOver(
        *s->account, *r, [&s](const protocol::SharedLine& line) { s->peer->Deliver(line); });
    // All taken and nothing stored since: the next login need not look.
    if (handed == r->size() && s->account->queued_stores == stores) {
      s->account->maybe_queued = false;
    }
    done();
  });
}

size_t Messaging::HandOver(Account& to, const std::vector<store::MessageRecord>& stored,
                           const std::function<void(const protocol::SharedLine&)>& deliver) {
  std::vector<int64_t> handed;
  for (const auto& m : stored) {
    const Account* from = w_.directory.Get(m.sender);
    if (from == nullptr || to.Blocks(m.sender)) continue;  // held back
    if (w_.cluster == nullptr || FirstHandOver(m.id)) {
      deliver(FormatMsg(m.id, m.time_ms, from->name, "dm", m.text));
    }
    handed.push_back(m.id);
  }
  const size_t count = handed.size();
  if (!handed.empty()) {
    const AccountId me = to.id;
    w_.store.AckQueued(me, std::move(handed), [this, me](store::Result<store::Done> acked) {
      if (acked.ok()) return;
      // Still queued: delivered again (same ids) at a later login.
      if (Account* a = w_.directory.Get(me)) a->maybe_queued = true;
    });
  }
  return count;
}

bool Messaging::FirstHandOver(int64_t id) {
  if (!handed_.insert(id).second) return false;
  handed_order_.push_back(id);
  if (handed_order_.size() > 4096) {
    handed_.erase(handed_order_.front());
    handed_order_.pop_front();
  }
  return true;
}

void Messaging::RemoteSessionHeard(AccountId id) {
  auto it = stored_unseen_.find(id);
  if (it == stored_unseen_.end()) return;
  // A session list comes once a node (re)joins; a login elsewhere reads
  // the queue itself: what is older than this was long since read there.
  constexpr TimeMs kRememberFor = 600'000;
  const bool recent = it->second + kRememberFor >= w_.clock.Now();
  stored_unseen_.erase(it);
  if (!recent || w_.cluster == nullptr) return;
  w_.store.TakeQueued(id, [this, id](store::Result<std::vector<store::MessageRecord>> r) {
    const Account* a = w_.directory.Get(id);
    if (!r.ok() || a == nullptr || a->remote.empty() || w_.cluster == nullptr) return;
    for (const auto& m : *r) {
      const Account* from = w_.directory.Get(m.sender);
      if (from == nullptr || a->Blocks(m.sender)) continue;  // held back
      // The node that hands it over takes it off the queue.
      w_.cluster->DeliverTo(*a, FormatMsg(m.id, m.time_ms, from->name, "dm", m.text), m.id);
    }
  });
}

void Messaging::DeliverStoredTo(AccountId id) {
  w_.store.TakeQueued(id, [this, id](store::Result<std::vector<store::MessageRecord>> r) {
    Account* a = w_.directory.Get(id);
    if (!r.ok() || a == nullptr || a->sessions.empty()) return;
    HandOver(*a, *r, [a](const protocol::SharedLine& line) { DeliverTo(*a, line); });
  });
}

void Messaging::History(SessionRef s, const std::string& with, int64_t before_id, int limit,
                        Reply<HistoryPage> done) {
  w_.FindAccount(with, [this, s, before_id, limit, done = std::move(done)](Account* other) {
    if (other == nullptr) return done(Fail(Code::kNoSuchUser));
    HistoryWith(s, *other, before_id, limit, done);
  });
}

void Messaging::HistoryWith(SessionRef s, Account& with, int64_t before_id, int limit,
                            Reply<HistoryPage> done) {
  Account* other = &with;
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
