#include "core/board.h"

#include <spdlog/spdlog.h>

#include "core/peer.h"
#include "core/text.h"
#include "protocol/line_builder.h"

namespace caucus::core {

using protocol::Code;

namespace {

std::optional<Failure> CheckOutcome(const store::Result<store::PostCheck>& r) {
  if (!r.ok()) return Fail(Code::kInternal);
  switch (*r) {
    case store::PostCheck::kOk:
      return std::nullopt;
    case store::PostCheck::kNoSuchPost:
      return Fail(Code::kNoSuchPost);
    case store::PostCheck::kNotAuthor:
      return Fail(Code::kNotAuthor);
  }
  return Fail(Code::kInternal);
}

}  // namespace

void Board::Tell(const Session* by, int64_t number, std::string_view change, TimeMs when,
                 const std::string& name, const std::string* text) {
  std::optional<protocol::SharedLine> line;  // formatted once, for the first watcher
  for (const Account* a : w_.presence.online()) {
    for (Session* s : a->sessions) {
      if (s == by || !s->watches_board || s->peer == nullptr) continue;
      if (!line) {
        std::string out;
        protocol::LineBuilder b(out);
        b.Word("POSTED").Int(number).Word(change).Time(when).Word(name);
        if (text) b.Trailing(*text);
        b.End();
        line = protocol::SharedLine::Copy(out);
      }
      s->peer->Deliver(*line);
    }
  }
}

void Board::Post(SessionRef s, std::string text, Reply<Stamp> done) {
  if (auto f = CheckText(text, w_.config.max_text)) return done(*f);
  const TimeMs now = w_.clock.Now();
  const std::string name = s->account->name;
  auto shared = std::make_shared<std::string>(std::move(text));
  w_.store.CreatePost(
      s->account->id, now, *shared,
      [this, s, name, shared, now, done = std::move(done)](store::Result<int64_t> r) {
        if (!r.ok()) return done(Fail(Code::kInternal));
        done(Stamp{*r, now});
        Tell(s.get(), *r, "new", now, name, shared.get());
      });
}

void Board::Edit(SessionRef s, int64_t number, std::string text, Reply<Stamp> done) {
  if (auto f = CheckText(text, w_.config.max_text)) return done(*f);
  const TimeMs now = w_.clock.Now();
  const std::string name = s->account->name;
  auto shared = std::make_shared<std::string>(std::move(text));
  w_.store.EditPost(number, s->account->id, now, *shared,
                    [this, s, name, shared, number, now,
                     done = std::move(done)](store::Result<store::PostCheck> r) {
                      if (auto f = CheckOutcome(r)) return done(*f);
                      done(Stamp{number, now});
                      Tell(s.get(), number, "edited", now, name, shared.get());
                    });
}

void Board::Delete(SessionRef s, int64_t number, Reply<int64_t> done) {
  const AccountId me = s->account->id;
  w_.store.DeletePost(
      number, me, false,
      [this, s, me, number, done = std::move(done)](store::Result<store::PostCheck> r) mutable {
        if (r.ok() && *r == store::PostCheck::kNotAuthor && s->account && s->account->admin) {
          // An admin removes another's post: allowed, and written to the audit log.
          const std::string admin = s->account->name;
          w_.store.DeletePost(
              number, me, true, [this, s, admin, number, done](store::Result<store::PostCheck> r) {
                if (auto f = CheckOutcome(r)) return done(*f);
                spdlog::info("admin {} deleted post {}", admin, number);
                const TimeMs now = w_.clock.Now();
                w_.store.Audit({now, admin, "post.delete", "post " + std::to_string(number)},
                               nullptr);
                done(number);
                Tell(s.get(), number, "deleted", now, admin, nullptr);
              });
          return;
        }
        if (auto f = CheckOutcome(r)) return done(*f);
        done(number);
        if (s->account) Tell(s.get(), number, "deleted", w_.clock.Now(), s->account->name, nullptr);
      });
}

void Board::Read(SessionRef, std::optional<TimeMs> since, Reply<std::vector<Entry>> done) {
  w_.store.ReadPosts(since.value_or(-1), [this, done = std::move(done)](
                                             store::Result<std::vector<store::PostRecord>> r) {
    if (!r.ok()) return done(Fail(Code::kInternal));
    std::vector<Entry> out;
    out.reserve(r->size());
    for (auto& p : *r) {
      const Account* author = w_.directory.Get(p.author);
      out.push_back(
          {p.number, p.created_ms, author ? author->name : "-", p.edited_ms, std::move(p.text)});
    }
    done(std::move(out));
  });
}

}  // namespace caucus::core
