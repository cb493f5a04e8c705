#include "core/board.h"

#include <spdlog/spdlog.h>

#include "core/text.h"

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

void Board::Post(SessionRef s, std::string text, Reply<Stamp> done) {
  if (auto f = CheckText(text, w_.config.max_text)) return done(*f);
  const TimeMs now = w_.clock.Now();
  w_.store.CreatePost(s->account->id, now, std::move(text),
                      [now, done = std::move(done)](store::Result<int64_t> r) {
                        if (!r.ok()) return done(Fail(Code::kInternal));
                        done(Stamp{*r, now});
                      });
}

void Board::Edit(SessionRef s, int64_t number, std::string text, Reply<Stamp> done) {
  if (auto f = CheckText(text, w_.config.max_text)) return done(*f);
  const TimeMs now = w_.clock.Now();
  w_.store.EditPost(number, s->account->id, now, std::move(text),
                    [number, now, done = std::move(done)](store::Result<store::PostCheck> r) {
                      if (auto f = CheckOutcome(r)) return done(*f);
                      done(Stamp{number, now});
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
              number, me, true, [this, admin, number, done](store::Result<store::PostCheck> r) {
                if (auto f = CheckOutcome(r)) return done(*f);
                spdlog::info("admin {} deleted post {}", admin, number);
                w_.store.Audit(
                    {w_.clock.Now(), admin, "post.delete", "post " + std::to_string(number)},
                    nullptr);
                done(number);
              });
          return;
        }
        if (auto f = CheckOutcome(r)) return done(*f);
        done(number);
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
