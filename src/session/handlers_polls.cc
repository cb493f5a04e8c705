// Handlers: POLLS, POLLINFO, VOTE, RESULTS, VERIFY and the admin verbs
// POLLNEW, POLLOPTION, POLLROLL, POLLOPEN, POLLCLOSE, POLLDELETE.
#include "core/caucus.h"
#include "session/dispatch.h"

namespace caucus::session {
namespace {

using core::Outcome;
using protocol::Command;

core::Polls& Polls(const Reply& r) { return r.caucus().polls(); }
const std::string& Actor(const Reply& r) { return r.state().account->name; }

const char* StateName(store::PollState s) {
  switch (s) {
    case store::PollState::kUpcoming:
      return "upcoming";
    case store::PollState::kOpen:
      return "open";
    case store::PollState::kClosed:
      return "closed";
  }
  return "-";
}

void TimeOrDash(protocol::LineBuilder& b, core::TimeMs t) {
  if (t) {
    b.Time(t);
  } else {
    b.Word("-");
  }
}

void SummaryLine(ReplyLines& out, const core::Polls::Summary& s) {
  auto b = out.Data();
  b.Word("POLLINFO").Word(s.id).Word(StateName(s.state));
  TimeOrDash(b, s.opens);
  TimeOrDash(b, s.closes);
  b.Int(s.voted ? 1 : 0).Trailing(s.title).End();
}

std::string Joined(const std::vector<int>& choices) {
  std::string out;
  for (int c : choices) {
    if (!out.empty()) out.push_back(',');
    out.append(std::to_string(c));
  }
  return out;
}

void List(Command&, Reply r) {
  const auto polls = Polls(r).List(r.state());
  r.Lines([&](ReplyLines& out) {
    for (const auto& s : polls) SummaryLine(out, s);
    out.Ok().Int(static_cast<int64_t>(polls.size())).End();
  });
}

void Info(Command& cmd, Reply r) {
  auto o = Polls(r).Info(r.state(), cmd.params[0]);
  if (!o.ok()) return r.Fail(o.failure());
  r.Lines([&](ReplyLines& out) {
    SummaryLine(out, o->summary);
    for (size_t i = 0; i < o->options.size(); ++i) {
      out.Data()
          .Word("OPTION")
          .Word(o->summary.id)
          .Int(static_cast<int64_t>(i + 1))
          .Trailing(o->options[i])
          .End();
    }
    out.Ok().Word(o->summary.id).End();
  });
}

// An extension: the poll's rules, as POLLNEW takes them (choices=N tells a
// client how many options a ballot may choose).
void Flags(Command& cmd, Reply r) {
  auto o = Polls(r).Info(r.state(), cmd.params[0]);
  if (!o.ok()) return r.Fail(o.failure());
  r.Ok([&](auto& b) { b.Word(o->summary.id).Word(core::FormatPollFlags(o->flags)); });
}

std::optional<std::string> OptionalParam(Command& cmd, size_t i) {
  if (cmd.params.size() <= i) return std::nullopt;
  return std::move(cmd.params[i]);
}

void Vote(Command& cmd, Reply r) {
  const std::string id = cmd.params[0];
  Polls(r).Vote(r.session(), id, cmd.params[1], OptionalParam(cmd, 2),
                [r, id](Outcome<std::string> o) {
                  if (!o.ok()) return r.Fail(o.failure());
                  ++r.client().host().metrics().votes_acknowledged;
                  r.Ok([&](auto& b) { b.Word(id).Word(o.value()); });
                });
}

void Results(Command& cmd, Reply r) {
  const std::string id = cmd.params[0];
  Polls(r).GetResults(r.session(), id, OptionalParam(cmd, 1),
                      [r, id](Outcome<core::Polls::Results> o) {
                        if (!o.ok()) return r.Fail(o.failure());
                        r.Lines([&](ReplyLines& out) {
                          for (size_t i = 0; i < o->options.size(); ++i) {
                            out.Data()
                                .Word("TALLY")
                                .Word(id)
                                .Int(static_cast<int64_t>(i + 1))
                                .Int(o->votes[i])
                                .Trailing(o->options[i])
                                .End();
                          }
                          out.Ok().Word(id).Int(o->ballots).Int(o->eligible).End();
                        });
                      });
}

void Verify(Command& cmd, Reply r) {
  const std::string id = cmd.params[0];
  Polls(r).Verify(r.session(), id, cmd.params[1], [r, id](Outcome<std::vector<int>> o) {
    if (!o.ok()) return r.Fail(o.failure());
    r.Ok([&](auto& b) { b.Word(id).Word(Joined(o.value())); });
  });
}

void New(Command& cmd, Reply r) {
  Polls(r).Create(Actor(r), cmd.params[0], cmd.params[1], cmd.params[2], std::move(cmd.params[3]),
                  [r](Outcome<std::string> o) {
                    if (!o.ok()) return r.Fail(o.failure());
                    r.Ok([&](auto& b) { b.Word(o.value()); });
                  });
}

void Option(Command& cmd, Reply r) {
  const std::string id = cmd.params[0];
  Polls(r).AddOption(Actor(r), id, std::move(cmd.params[1]), [r, id](Outcome<int> o) {
    if (!o.ok()) return r.Fail(o.failure());
    r.Ok([&](auto& b) { b.Word(id).Int(o.value()); });
  });
}

void Roll(Command& cmd, Reply r) {
  const std::string id = cmd.params[0];
  std::vector<std::string> names(cmd.params.begin() + 1, cmd.params.end());
  Polls(r).AddToRoll(Actor(r), id, names, [r, id](Outcome<int64_t> o) {
    if (!o.ok()) return r.Fail(o.failure());
    r.Ok([&](auto& b) { b.Word(id).Int(o.value()); });
  });
}

void Open(Command& cmd, Reply r) {
  const std::string id = cmd.params[0];
  Polls(r).Open(Actor(r), id, [r, id](Outcome<core::TimeMs> o) {
    if (!o.ok()) return r.Fail(o.failure());
    r.Ok([&](auto& b) { b.Word(id).Time(o.value()); });
  });
}

void Close(Command& cmd, Reply r) {
  const std::string id = cmd.params[0];
  Polls(r).Close(Actor(r), id, [r, id](Outcome<int64_t> o) {
    if (!o.ok()) return r.Fail(o.failure());
    r.Ok([&](auto& b) { b.Word(id).Int(o.value()); });
  });
}

void Delete(Command& cmd, Reply r) {
  const std::string id = cmd.params[0];
  Polls(r).Delete(Actor(r), id, [r, id](Outcome<core::Ok> o) {
    if (!o.ok()) return r.Fail(o.failure());
    r.Ok([&](auto& b) { b.Word(id); });
  });
}

}  // namespace

std::vector<Verb> PollVerbs() {
  return {
      {"POLLS", Access::kLoggedIn, 0, 0, List},      {"POLLINFO", Access::kLoggedIn, 1, 1, Info},
      {"POLLFLAGS", Access::kLoggedIn, 1, 1, Flags}, {"VOTE", Access::kLoggedIn, 2, 3, Vote},
      {"RESULTS", Access::kLoggedIn, 1, 2, Results}, {"VERIFY", Access::kLoggedIn, 2, 2, Verify},
      {"POLLNEW", Access::kAdmin, 4, 4, New},        {"POLLOPTION", Access::kAdmin, 2, 2, Option},
      {"POLLROLL", Access::kAdmin, 2, 1000, Roll},   {"POLLOPEN", Access::kAdmin, 1, 1, Open},
      {"POLLCLOSE", Access::kAdmin, 1, 1, Close},    {"POLLDELETE", Access::kAdmin, 1, 1, Delete},
  };
}

}  // namespace caucus::session
