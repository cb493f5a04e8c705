#include "core/polls.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/ballot_links.h"
#include "core/presence.h"
#include "core/secrets.h"
#include "core/text.h"
#include "protocol/line_builder.h"
#include "protocol/wire_time.h"

namespace caucus::core {

using protocol::Code;
using store::PollState;

namespace {

constexpr size_t kMaxOptions = 50;

std::string FlagsText(const PollFlags& f) {
  std::string out;
  auto add = [&](bool on, const std::string& name) {
    if (!on) return;
    if (!out.empty()) out += ",";
    out += name;
  };
  add(f.live, "live");
  add(f.vote_password, "vote-password");
  add(f.results_password, "results-password");
  add(f.revote, "revote");
  add(f.roll, "roll");
  add(f.max_choices > 1, "choices=" + std::to_string(f.max_choices));
  return out.empty() ? "-" : out;
}

Failure StateFailure(PollState state, Code if_upcoming, Code if_open) {
  switch (state) {
    case PollState::kUpcoming:
      return Fail(if_upcoming);
    case PollState::kOpen:
      return Fail(if_open);
    case PollState::kClosed:
      return Fail(Code::kClosed);
  }
  return Fail(Code::kInternal);
}

}  // namespace

Polls::Polls(World& world, Accounts& accounts, store::KeyVault& keys)
    : w_(world), accounts_(accounts), keys_(keys) {}

Polls::Poll* Polls::Find(const std::string& id) {
  auto it = polls_.find(store::PollSeq(id));
  return it == polls_.end() ? nullptr : &it->second;
}

const Polls::Poll* Polls::Find(const std::string& id) const {
  auto it = polls_.find(store::PollSeq(id));
  return it == polls_.end() ? nullptr : &it->second;
}

void Polls::Load(std::vector<store::PollRecord> records) {
  for (auto& r : records) Adopt(std::move(r));
}

void Polls::Adopt(store::PollRecord record, bool late_opening) {
  const int64_t seq = store::PollSeq(record.id);
  Poll& p = polls_[seq];
  CancelTimers(p);
  p.flags = ParsePollFlags(record.flags).value_or(PollFlags{});
  p.roll = {record.roll.begin(), record.roll.end()};
  p.voted.insert(record.voted.begin(), record.voted.end());
  p.record = std::move(record);
  Schedule(p, late_opening);
}

void Polls::CancelTimers(Poll& p) {
  if (p.open_timer) w_.scheduler.Cancel(p.open_timer);
  if (p.close_timer) w_.scheduler.Cancel(p.close_timer);
  p.open_timer = p.close_timer = 0;
}

void Polls::Schedule(Poll& p, bool late_opening) {
  CancelTimers(p);
  const std::string id = p.record.id;
  if (p.record.state == PollState::kUpcoming && p.record.opens_ms != 0 &&
      (late_opening || p.record.opens_ms > w_.clock.Now())) {
    p.open_timer = w_.scheduler.At(p.record.opens_ms, [this, id] {
      Poll* p = Find(id);
      if (p == nullptr) return;
      p->open_timer = 0;
      // A scheduled poll opens at its time only with two options by then.
      if (p->record.state == PollState::kUpcoming && p->record.options.size() >= 2) {
        OpenNow(*p, w_.clock.Now(), nullptr);
      }
    });
  }
  if (p.record.state != PollState::kClosed && p.record.closes_ms != 0) {
    p.close_timer = w_.scheduler.At(p.record.closes_ms, [this, id] {
      Poll* p = Find(id);
      if (p == nullptr) return;
      p->close_timer = 0;
      if (p->record.state != PollState::kClosed) {
        CloseNow(*p, std::min(w_.clock.Now(), p->record.closes_ms), nullptr);
      }
    });
  }
}

TimeMs Polls::KnownCloses(const Poll& p) const {
  if (p.record.closes_ms != 0) return p.record.closes_ms;
  if (p.record.opens_ms != 0 && p.record.close_after_s != 0) {
    return p.record.opens_ms + p.record.close_after_s * 1000;
  }
  return 0;
}

Polls::Summary Polls::Summarize(const Poll& p, const Session* viewer) const {
  const bool voted = viewer && viewer->account && p.voted.count(viewer->account->id) > 0;
  return Summary{p.record.id,    p.record.state, p.record.opens_ms,
                 KnownCloses(p), voted,          p.record.title};
}

int64_t Polls::Eligible(const Poll& p) const {
  return p.flags.roll ? static_cast<int64_t>(p.roll.size())
                      : static_cast<int64_t>(w_.directory.size());
}

bool Polls::MayVote(const Poll& p, AccountId account) const {
  return !p.flags.roll || p.roll.count(account) > 0;
}

std::vector<Polls::Summary> Polls::List(const Session& s) const {
  std::vector<Summary> out;
  out.reserve(polls_.size());
  for (const auto& [seq, p] : polls_) out.push_back(Summarize(p, &s));
  return out;
}

Outcome<Polls::Detail> Polls::Info(const Session& s, const std::string& id) const {
  const Poll* p = Find(id);
  if (p == nullptr) return Fail(Code::kNoSuchPoll);
  return Detail{Summarize(*p, &s), p->record.options, p->flags};
}

void Polls::Announce(const Poll& p, bool open, TimeMs when) {
  std::string text;
  protocol::LineBuilder(text)
      .Word("POLL")
      .Word(p.record.id)
      .Word(open ? "open" : "closed")
      .Time(when)
      .Trailing(p.record.title)
      .End();
  const auto line = protocol::SharedLine::Copy(text);
  for (const Account* a : w_.presence.online()) {
    if (MayVote(p, a->id)) DeliverTo(*a, line);
  }
}

void Polls::Audit(const std::string& actor, const std::string& action, const std::string& detail) {
  spdlog::info("{} {} {}", actor, action, detail);
  w_.store.Audit({w_.clock.Now(), actor, action, detail}, nullptr);
}

void Polls::OpenNow(Poll& p, TimeMs now, std::function<void(bool)> done) {
  p.record.state = PollState::kOpen;
  p.record.opens_ms = now;
  if (p.record.close_after_s != 0) p.record.closes_ms = now + p.record.close_after_s * 1000;
  Schedule(p);
  Announce(p, true, now);
  spdlog::info("poll {} open until {}", p.record.id, p.record.closes_ms);
  w_.store.SavePollState(p.record, [this, done = std::move(done)](store::Result<store::Done> r) {
    if (!r.ok()) spdlog::error("saving a poll's opening: {}", r.status().message());
    if (r.ok()) w_.Changed();
    if (done) done(r.ok());
  });
}

void Polls::CloseNow(Poll& p, TimeMs when, std::function<void(bool)> done) {
  const bool was_open = p.record.state == PollState::kOpen;
  p.record.state = PollState::kClosed;
  p.record.closes_ms = when;
  CancelTimers(p);
  if (was_open) Announce(p, false, when);
  spdlog::info("poll {} closed", p.record.id);
  const std::string id = p.record.id;
  auto saved = [this, done = std::move(done)](store::Result<store::Done> r) {
    if (!r.ok()) spdlog::error("saving a poll's close: {}", r.status().message());
    if (r.ok()) w_.Changed();
    if (done) done(r.ok());
  };
  if (!p.flags.revote) return w_.store.SavePollState(p.record, std::move(saved));
  // The voter-to-ballot links die with the close: the links right after
  // the close (writes commit in order), the key once they are gone, and
  // only then the answer.
  w_.store.SavePollState(p.record, nullptr);
  w_.store.DropRevoteLinks(id, [this, id, saved = std::move(saved)](store::Result<store::Done> r) {
    if (!r.ok()) return saved(std::move(r));
    keys_.Destroy(id, [id, saved](bool gone) {
      if (!gone) spdlog::error("poll {}: its revote key could not be destroyed", id);
      saved(store::Done{});
    });
  });
}

// ------------------------------------------------------------------ voting

void Polls::Vote(SessionRef s, const std::string& id, const std::string& choice,
                 std::optional<std::string> password, Reply<std::string> done) {
  Poll* p = Find(id);
  if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
  if (p->record.state != PollState::kOpen) {
    return done(StateFailure(p->record.state, Code::kNotOpen, Code::kInternal));
  }
  const AccountId me = s->account->id;
  if (!MayVote(*p, me)) return done(Fail(Code::kNotEligible));
  std::vector<int> choices = ParseChoices(choice);
  if (choices.empty() || static_cast<int>(choices.size()) > p->flags.max_choices) {
    return done(Fail(Code::kBadArguments));
  }
  if (static_cast<size_t>(choices.back()) > p->record.options.size()) {
    return done(Fail(Code::kNoSuchOption));
  }
  if (p->voting.count(me) || (p->voted.count(me) && !p->flags.revote)) {
    return done(Fail(Code::kAlreadyVoted));
  }
  if (!p->flags.vote_password) return Cast(std::move(s), id, std::move(choices), std::move(done));
  if (!password) return done(Fail(Code::kPasswordRequired));
  accounts_.Reauthenticate(
      s, std::move(*password),
      [this, s, id, choices = std::move(choices), done = std::move(done)](Outcome<Ok> o) mutable {
        if (!o.ok()) return done(o.failure());
        Cast(s, id, std::move(choices), std::move(done));
      });
}

void Polls::Cast(SessionRef s, const std::string& id, std::vector<int> choices,
                 Reply<std::string> done) {
  Poll* p = Find(id);
  if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
  if (p->record.state != PollState::kOpen) {
    return done(StateFailure(p->record.state, Code::kNotOpen, Code::kInternal));
  }
  if (s->account == nullptr) return;  // the session ended while the password was checked
  const AccountId me = s->account->id;
  if (p->voting.count(me) || (p->voted.count(me) && !p->flags.revote)) {
    return done(Fail(Code::kAlreadyVoted));
  }
  store::Ballot ballot{id, me, NewReceipt(), std::move(choices), {}, {}, {}};
  p->voting.insert(me);

  auto commit = [this, id, me, done](store::Ballot ballot) {
    const std::string receipt = ballot.receipt;
    w_.store.CastBallot(std::move(ballot),
                        [this, id, me, receipt, done](store::Result<store::Done> r) {
                          Poll* p = Find(id);
                          if (p) p->voting.erase(me);
                          if (r.status().conflict()) return done(Fail(Code::kAlreadyVoted));
                          // Closed by another node (or `caucusd poll close`)
                          // before the ballot reached the store; the change
                          // feed brings the close here.
                          if (r.status().not_found()) return done(Fail(Code::kClosed));
                          if (!r.ok()) return done(Fail(Code::kInternal));
                          if (p) p->voted.insert(me);
                          done(receipt);
                        });
  };
  if (!p->flags.revote) return commit(std::move(ballot));

  keys_.Get(id, [this, id, me, ballot = std::move(ballot), commit,
                 done](std::optional<std::string> key) mutable {
    Poll* p = Find(id);
    if (!key || p == nullptr) {
      if (p) p->voting.erase(me);
      spdlog::error("poll {}: its revote key is missing", id);
      return done(Fail(Code::kInternal));
    }
    ballot.voter_tag = VoterTag(*key, me);
    ballot.sealed_receipt = SealReceipt(*key, ballot.receipt);
    if (!p->voted.count(me)) return commit(std::move(ballot));
    // A second ballot: find the first through the sealed link, and replace it.
    const std::string tag = ballot.voter_tag;
    w_.store.FindRevoteLink(id, tag,
                            [this, id, me, key = std::move(*key), ballot = std::move(ballot),
                             commit, done](store::Result<store::RevoteLink> link) mutable {
                              if (link.ok()) {
                                if (auto old = OpenReceipt(key, link->sealed_receipt))
                                  ballot.replaces_receipt = *old;
                              } else if (!link.status().not_found()) {
                                if (Poll* p = Find(id)) p->voting.erase(me);
                                return done(Fail(Code::kInternal));
                              }
                              commit(std::move(ballot));
                            });
  });
}

void Polls::GetResults(SessionRef s, const std::string& id, std::optional<std::string> password,
                       Reply<Results> done) {
  Poll* p = Find(id);
  if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
  const bool visible = p->record.state == PollState::kClosed || p->flags.live || s->account->admin;
  if (!visible) {
    const TimeMs closes = KnownCloses(*p);
    std::string when = closes ? protocol::FormatTime(closes) : "-";
    return done(Fail(Code::kResultsHidden, {when}));
  }
  auto tally = [this, id, done] {
    const Poll* p = Find(id);
    if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
    const auto options = p->record.options;
    const int64_t eligible = Eligible(*p);
    w_.store.Tally(id, static_cast<int>(options.size()),
                   [options, eligible, done](store::Result<store::Tallies> r) {
                     if (!r.ok()) return done(Fail(Code::kInternal));
                     done(Results{options, r->votes, r->ballots, eligible});
                   });
  };
  if (!p->flags.results_password) return tally();
  if (!password) return done(Fail(Code::kPasswordRequired));
  accounts_.Reauthenticate(s, std::move(*password), [tally, done](Outcome<Ok> o) {
    if (!o.ok()) return done(o.failure());
    tally();
  });
}

void Polls::Verify(SessionRef, const std::string& id, const std::string& receipt,
                   Reply<std::vector<int>> done) {
  if (Find(id) == nullptr) return done(Fail(Code::kNoSuchPoll));
  w_.store.FindBallot(id, receipt, [done](store::Result<std::vector<int>> r) {
    if (r.status().not_found()) return done(Fail(Code::kNoSuchReceipt));
    if (!r.ok()) return done(Fail(Code::kInternal));
    done(std::move(*r));
  });
}

// ------------------------------------------------------------------ administration

void Polls::Create(const std::string& actor, std::string_view opens, std::string_view closes,
                   std::string_view flags_text, std::string title, Reply<std::string> done) {
  const TimeMs now = w_.clock.Now();
  auto flags = ParsePollFlags(flags_text);
  auto schedule = ParsePollSchedule(opens, closes, now);
  if (!flags || !schedule) return done(Fail(Code::kBadArguments));
  if (auto f = CheckText(title, w_.config.max_text)) return done(*f);
  store::PollRecord record;
  record.title = std::move(title);
  record.flags = FlagsText(*flags);
  record.max_choices = flags->max_choices;
  record.opens_ms = schedule->opens_ms;
  record.closes_ms = schedule->closes_ms;
  record.close_after_s = schedule->close_after_s;
  record.created_ms = now;
  w_.store.CreatePoll(record, [this, actor, record, revote = flags->revote,
                               done](store::Result<std::string> r) mutable {
    if (!r.ok()) return done(Fail(Code::kInternal));
    record.id = *r;
    auto adopt = [this, actor, done](store::PollRecord record) {
      Audit(actor, "poll.create", record.id + " " + record.flags + " " + record.title);
      w_.Changed();
      const std::string id = record.id;
      Adopt(std::move(record));
      done(id);
    };
    if (!revote) return adopt(std::move(record));
    // A revote poll is usable only once its key is durable.
    const std::string id = record.id;
    keys_.Create(id, [this, id, record = std::move(record), adopt,
                      done](std::optional<std::string> key) mutable {
      if (key) return adopt(std::move(record));
      spdlog::error("poll {}: cannot keep its revote key", id);
      w_.store.DeletePoll(id, nullptr);
      done(Fail(Code::kInternal));
    });
  });
}

void Polls::AddOption(const std::string& actor, const std::string& id, std::string label,
                      Reply<int> done) {
  Poll* p = Find(id);
  if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
  if (p->record.state != PollState::kUpcoming) {
    return done(StateFailure(p->record.state, Code::kInternal, Code::kAlreadyOpen));
  }
  if (p->record.options.size() >= kMaxOptions) return done(Fail(Code::kTooManyOptions));
  if (auto f = CheckText(label, w_.config.max_text)) return done(*f);
  const int n = static_cast<int>(p->record.options.size()) + 1;
  p->record.options.push_back(label);
  w_.store.AddOption(id, n, label, [this, actor, id, n, label, done](store::Result<store::Done> r) {
    if (!r.ok()) {
      if (Poll* p = Find(id); p && static_cast<int>(p->record.options.size()) == n) {
        p->record.options.pop_back();
      }
      // Another node added option n first: read the poll again and add
      // this one after it.
      if (r.status().conflict() && w_.cluster) {
        return Reload(id, [this, actor, id, label, done] { AddOption(actor, id, label, done); });
      }
      return done(Fail(Code::kInternal));
    }
    Audit(actor, "poll.option", id + " " + std::to_string(n));
    w_.Changed();
    done(n);
  });
}

void Polls::AddToRoll(const std::string& actor, const std::string& id,
                      const std::vector<std::string>& names, Reply<int64_t> done) {
  Poll* p = Find(id);
  if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
  if (p->record.state == PollState::kClosed) return done(Fail(Code::kClosed));
  std::vector<AccountId> ids;
  for (const auto& name : names) {
    const Account* a = w_.directory.Find(name);
    if (a == nullptr) return done(Fail(Code::kNoSuchUser, {name}));
    ids.push_back(a->id);
  }
  w_.store.AddToRoll(id, ids, [this, actor, id, ids, done](store::Result<store::Done> r) {
    if (!r.ok()) return done(Fail(Code::kInternal));
    Poll* p = Find(id);
    if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
    for (AccountId a : ids) {
      const bool added = p->roll.insert(a).second;
      Account* account = w_.directory.Get(a);
      if (added && p->flags.roll && p->record.state == PollState::kOpen && account) {
        // Newly eligible and online: tell them the poll is open.
        std::string text;
        protocol::LineBuilder(text)
            .Word("POLL")
            .Word(id)
            .Word("open")
            .Time(p->record.opens_ms)
            .Trailing(p->record.title)
            .End();
        DeliverTo(*account, protocol::SharedLine::Copy(text));
      }
    }
    Audit(actor, "poll.roll", id + " +" + std::to_string(ids.size()));
    w_.Changed();
    done(Eligible(*p));
  });
}

void Polls::Open(const std::string& actor, const std::string& id, Reply<TimeMs> done) {
  Poll* p = Find(id);
  if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
  if (p->record.state != PollState::kUpcoming) {
    return done(StateFailure(p->record.state, Code::kInternal, Code::kAlreadyOpen));
  }
  if (p->record.options.size() < 2) return done(Fail(Code::kTooFewOptions));
  const TimeMs now = w_.clock.Now();
  if (p->record.closes_ms != 0 && p->record.closes_ms <= now) {
    CloseNow(*p, p->record.closes_ms, nullptr);
    return done(Fail(Code::kClosed));
  }
  Audit(actor, "poll.open", id);
  OpenNow(*p, now, [this, id, done](bool saved) {
    const Poll* p = Find(id);
    if (!saved || p == nullptr) return done(Fail(Code::kInternal));
    done(p->record.closes_ms);
  });
}

void Polls::Close(const std::string& actor, const std::string& id, Reply<int64_t> done) {
  Poll* p = Find(id);
  if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
  if (p->record.state != PollState::kOpen) {
    return done(StateFailure(p->record.state, Code::kNotOpen, Code::kInternal));
  }
  Audit(actor, "poll.close", id);
  // Ballots already submitted commit before the close does, so the count
  // taken when the close commits includes them.
  CloseNow(*p, w_.clock.Now(), [this, id, done](bool saved) {
    const Poll* p = Find(id);
    if (!saved || p == nullptr) return done(Fail(Code::kInternal));
    if (w_.cluster == nullptr) return done(static_cast<int64_t>(p->voted.size()));
    // Ballots cast on other nodes are not in this node's memory: count the
    // store's.
    w_.store.Tally(id, static_cast<int>(p->record.options.size()),
                   [done](store::Result<store::Tallies> t) {
                     if (!t.ok()) return done(Fail(Code::kInternal));
                     done(t->ballots);
                   });
  });
}

void Polls::Delete(const std::string& actor, const std::string& id, Reply<Ok> done) {
  Poll* p = Find(id);
  if (p == nullptr) return done(Fail(Code::kNoSuchPoll));
  if (p->record.state != PollState::kUpcoming) {
    return done(StateFailure(p->record.state, Code::kInternal, Code::kAlreadyOpen));
  }
  w_.store.DeletePoll(id, [this, actor, id, done](store::Result<store::Done> r) {
    if (!r.ok() && !r.status().not_found()) return done(Fail(Code::kInternal));
    if (Poll* p = Find(id)) {
      CancelTimers(*p);
      polls_.erase(store::PollSeq(id));
    }
    keys_.Destroy(id, nullptr);
    Audit(actor, "poll.delete", id);
    w_.Changed();
    done(Ok{});
  });
}

void Polls::Reload(const std::string& id, std::function<void()> done) {
  w_.store.LoadPoll(id, [this, id, done = std::move(done)](store::Result<store::PollRecord> r) {
    Reloaded(id, std::move(r));
    done();
  });
}

void Polls::Reloaded(const std::string& id, store::Result<store::PollRecord> r) {
  Poll* p = Find(id);
  if (r.status().not_found()) {
    if (p) {
      CancelTimers(*p);
      polls_.erase(store::PollSeq(id));
    }
    return;
  }
  if (!r.ok()) return;
  const PollState before = p ? p->record.state : PollState::kUpcoming;
  const PollState after = r->state;
  const bool revote = p && p->flags.revote;
  Adopt(std::move(*r), /*late_opening=*/false);
  p = Find(id);
  if (before != PollState::kOpen && after == PollState::kOpen) {
    Announce(*p, true, p->record.opens_ms);
  } else if (before == PollState::kOpen && after == PollState::kClosed) {
    Announce(*p, false, p->record.closes_ms);
    if (revote) keys_.Destroy(id, nullptr);
  }
}

}  // namespace caucus::core
