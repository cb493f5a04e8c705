// Handlers: P2P, INVITE, ACCEPT, DECLINE.
#include "core/caucus.h"
#include "server/dispatch.h"

namespace caucus::server {
namespace {

using protocol::Command;

core::PeerBroker& Peers(const Reply& r) { return r.caucus().peers(); }

void Announce(Command& cmd, Reply r) {
  auto o = Peers(r).Announce(r.state(), cmd.params);
  if (!o.ok()) return r.Fail(o.failure());
  r.Ok([&](auto& b) {
    b.Int(o->first);
    if (o->second) {
      b.Int(o->second);
    } else {
      b.Word("-");
    }
  });
}

void Invite(Command& cmd, Reply r) {
  auto o = Peers(r).Invite(r.session(), cmd.params);
  if (!o.ok()) return r.Fail(o.failure());
  r.Ok([&](auto& b) { b.Word(o.value()); });
}

void Accept(Command& cmd, Reply r) {
  auto o = Peers(r).Accept(r.session(), cmd.params[0]);
  if (!o.ok()) return r.Fail(o.failure());
  r.Ok([&](auto& b) { b.Word(cmd.params[0]).Word(o.value()); });
}

void Decline(Command& cmd, Reply r) {
  auto o = Peers(r).Decline(r.session(), cmd.params[0]);
  if (!o.ok()) return r.Fail(o.failure());
  r.Ok([&](auto& b) { b.Word(cmd.params[0]); });
}

}  // namespace

std::vector<Verb> PeerVerbs() {
  return {
      {"P2P", Access::kLoggedIn, 1, 2, Announce},
      {"INVITE", Access::kLoggedIn, 2, 5, Invite},
      {"ACCEPT", Access::kLoggedIn, 1, 1, Accept},
      {"DECLINE", Access::kLoggedIn, 1, 1, Decline},
  };
}

}  // namespace caucus::server
