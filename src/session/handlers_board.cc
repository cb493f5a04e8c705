// Handlers: POST, EDIT, DELETE, READ, and WATCH (an extension).
#include <cctype>

#include "core/caucus.h"
#include "protocol/names.h"
#include "protocol/wire_time.h"
#include "session/dispatch.h"

namespace caucus::session {
namespace {

using core::Outcome;
using protocol::Code;
using protocol::Command;

bool PostNumber(const std::string& text, int64_t* n) {
  return protocol::ParseCount(text, n) && *n > 0;
}

void StampReply(Reply r, Outcome<core::Board::Stamp> o) {
  if (!o.ok()) return r.Fail(o.failure());
  r.Ok([&](auto& b) { b.Int(o->number).Time(o->time); });
}

void Post(Command& cmd, Reply r) {
  r.caucus().board().Post(r.session(), std::move(cmd.params[0]),
                          [r](Outcome<core::Board::Stamp> o) { StampReply(r, std::move(o)); });
}

void Edit(Command& cmd, Reply r) {
  int64_t n;
  if (!PostNumber(cmd.params[0], &n)) return r.Fail(core::Fail(Code::kBadArguments));
  r.caucus().board().Edit(r.session(), n, std::move(cmd.params[1]),
                          [r](Outcome<core::Board::Stamp> o) { StampReply(r, std::move(o)); });
}

void Delete(Command& cmd, Reply r) {
  int64_t n;
  if (!PostNumber(cmd.params[0], &n)) return r.Fail(core::Fail(Code::kBadArguments));
  r.caucus().board().Delete(r.session(), n, [r](Outcome<int64_t> o) {
    if (!o.ok()) return r.Fail(o.failure());
    r.Ok([&](auto& b) { b.Int(o.value()); });
  });
}

void Read(Command& cmd, Reply r) {
  std::optional<core::TimeMs> since;
  if (!cmd.params.empty()) {
    since = protocol::ParseTime(cmd.params[0]);
    if (!since) return r.Fail(core::Fail(Code::kBadArguments));
  }
  r.caucus().board().Read(r.session(), since, [r](Outcome<std::vector<core::Board::Entry>> o) {
    if (!o.ok()) return r.Fail(o.failure());
    r.Lines([&](ReplyLines& out) {
      for (const auto& p : o.value()) {
        auto b = out.Data();
        b.Word("BOARD").Int(p.number).Time(p.created).Word(p.author);
        if (p.edited) {
          b.Time(p.edited);
        } else {
          b.Word("-");
        }
        b.Trailing(p.text).End();
      }
      out.Ok().Int(static_cast<int64_t>(o->size())).End();
    });
  });
}

// WATCH board: from now on this session gets a POSTED event for every post
// that others create, edit or delete (docs/protocol.md). Opt-in, so that
// clients that do not know the event never see it.
void Watch(Command& cmd, Reply r) {
  std::string what = cmd.params[0];
  for (char& c : what) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (what != "board") return r.Fail(core::Fail(Code::kBadArguments));
  r.state().watches_board = true;
  r.Ok([](auto& b) { b.Word("board"); });
}

}  // namespace

std::vector<Verb> BoardVerbs() {
  return {
      {"POST", Access::kLoggedIn, 1, 1, Post},     {"EDIT", Access::kLoggedIn, 2, 2, Edit},
      {"DELETE", Access::kLoggedIn, 1, 1, Delete}, {"READ", Access::kLoggedIn, 0, 1, Read},
      {"WATCH", Access::kLoggedIn, 1, 1, Watch},
  };
}

}  // namespace caucus::session
