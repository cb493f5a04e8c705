// Handlers: WHO, SEND, BROADCAST, BLOCK, UNBLOCK, BLOCKS, HISTORY.
#include "core/caucus.h"
#include "protocol/names.h"
#include "session/dispatch.h"

namespace caucus::session {
namespace {

using core::Outcome;
using protocol::Code;
using protocol::Command;

void Who(Command& cmd, Reply r) {
  std::optional<int64_t> seconds;
  if (!cmd.params.empty()) {
    int64_t s;
    if (!protocol::ParseCount(cmd.params[0], &s)) return r.Fail(core::Fail(Code::kBadArguments));
    seconds = s;
  }
  const auto entries = r.caucus().world().presence.Who(*r.state().account, seconds);
  r.Lines([&](ReplyLines& out) {
    for (const auto& e : entries) {
      auto b = out.Data();
      b.Word("USER").Word(e.account->name).Time(e.login_ms).Word(e.online ? "online" : "offline");
      if (e.p2p) b.Word("p2p");
      b.End();
    }
    out.Ok().Int(static_cast<int64_t>(entries.size())).End();
  });
}

void Send(Command& cmd, Reply r) {
  r.caucus().messaging().Send(
      r.session(), cmd.params[0], std::move(cmd.params[1]), [r](Outcome<core::Messaging::Sent> o) {
        if (!o.ok()) return r.Fail(o.failure());
        auto& m = r.client().host().metrics();
        ++(o->delivered ? m.messages_delivered : m.messages_stored);
        r.Ok([&](auto& b) {
          b.Int(o->id).Time(o->time).Word(o->delivered ? "delivered" : "stored");
        });
      });
}

void Broadcast(Command& cmd, Reply r) {
  r.caucus().messaging().Broadcast(
      r.session(), std::move(cmd.params[0]), [r](Outcome<core::Messaging::Broadcasted> o) {
        if (!o.ok()) return r.Fail(o.failure());
        auto& m = r.client().host().metrics();
        ++m.broadcasts;
        m.broadcast_deliveries += static_cast<uint64_t>(o->delivered);
        r.Ok([&](auto& b) { b.Int(o->id).Time(o->time).Int(o->delivered).Int(o->withheld); });
      });
}

void NameReply(Reply r, Outcome<std::string> o) {
  if (!o.ok()) return r.Fail(o.failure());
  r.Ok([&](auto& b) { b.Word(o.value()); });
}

void Block(Command& cmd, Reply r) {
  r.caucus().messaging().Block(r.session(), cmd.params[0],
                               [r](Outcome<std::string> o) { NameReply(r, std::move(o)); });
}

void Unblock(Command& cmd, Reply r) {
  r.caucus().messaging().Unblock(r.session(), cmd.params[0],
                                 [r](Outcome<std::string> o) { NameReply(r, std::move(o)); });
}

void Blocks(Command&, Reply r) {
  const auto names = r.caucus().messaging().Blocks(r.state());
  r.Lines([&](ReplyLines& out) {
    for (const auto& n : names) out.Data().Word("BLOCKED").Word(n).End();
    out.Ok().Int(static_cast<int64_t>(names.size())).End();
  });
}

// HISTORY <name> [<before-id>] [<limit>]: see docs/protocol.md.
void History(Command& cmd, Reply r) {
  int64_t before = INT64_MAX;
  int64_t limit = 50;
  if (cmd.params.size() >= 2 && cmd.params[1] != "-" &&
      (!protocol::ParseCount(cmd.params[1], &before) || before == 0)) {
    return r.Fail(core::Fail(Code::kBadArguments));
  }
  if (cmd.params.size() == 3 && (!protocol::ParseCount(cmd.params[2], &limit) || limit == 0)) {
    return r.Fail(core::Fail(Code::kBadArguments));
  }
  auto& domain = r.caucus();
  domain.messaging().History(
      r.session(), cmd.params[0], before, static_cast<int>(std::min<int64_t>(limit, 1 << 20)),
      [r, &domain](Outcome<core::Messaging::HistoryPage> o) {
        if (!o.ok()) return r.Fail(o.failure());
        r.Lines([&](ReplyLines& out) {
          for (const auto& m : o->messages) {
            const core::Account* from = domain.world().directory.Get(m.sender);
            const core::Account* to = domain.world().directory.Get(m.recipient);
            out.Data()
                .Word("DM")
                .Int(m.id)
                .Time(m.time_ms)
                .Word(from ? from->name : "-")
                .Word(to ? to->name : "-")
                .Trailing(m.text)
                .End();
          }
          auto b = out.Ok();
          b.Word(o->with).Int(static_cast<int64_t>(o->messages.size()));
          if (o->messages.empty()) {
            b.Word("-");
          } else {
            b.Int(o->messages.front().id);
          }
          b.End();
        });
      });
}

}  // namespace

std::vector<Verb> MessageVerbs() {
  return {
      {"WHO", Access::kLoggedIn, 0, 1, Who},
      {"SEND", Access::kLoggedIn, 2, 2, Send},
      {"BROADCAST", Access::kLoggedIn, 1, 1, Broadcast},
      {"BLOCK", Access::kLoggedIn, 1, 1, Block},
      {"UNBLOCK", Access::kLoggedIn, 1, 1, Unblock},
      {"BLOCKS", Access::kLoggedIn, 0, 0, Blocks},
      {"HISTORY", Access::kLoggedIn, 1, 3, History},
  };
}

}  // namespace caucus::session
