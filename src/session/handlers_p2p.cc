// Handlers: P2P, INVITE, ACCEPT, DECLINE.
#include <cctype>

#include "core/caucus.h"
#include "protocol/names.h"
#include "session/dispatch.h"

namespace caucus::session {
namespace {

using protocol::Command;

core::PeerBroker& Peers(const Reply& r) { return r.caucus().peers(); }

bool ParsePort(const std::string& text, int64_t* port) {
  return protocol::ParseCount(text, port) && *port <= 65535;
}

// Lower-cases a SHA-256 in hex; false if `hex` is not one.
bool ParseSha256(std::string& hex) {
  if (hex.size() != 64) return false;
  for (char& c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return true;
}

// P2P <tcp> [<udp>]; udp is not 0 when given.
void Announce(Command& cmd, Reply r) {
  int64_t tcp = 0, udp = 0;
  if (!ParsePort(cmd.params[0], &tcp) ||
      (cmd.params.size() == 2 && (!ParsePort(cmd.params[1], &udp) || udp == 0))) {
    return r.Fail(core::Fail(protocol::Code::kBadArguments));
  }
  // (A pair, not a structured binding: clang 14, the fuzzers' compiler,
  // cannot capture one in a lambda.)
  const std::pair<int, int> on =
      Peers(r).Announce(r.state(), static_cast<uint16_t>(tcp), static_cast<uint16_t>(udp));
  r.Ok([&](auto& b) {
    b.Int(on.first);
    if (on.second) {
      b.Int(on.second);
    } else {
      b.Word("-");
    }
  });
}

// INVITE <name> chat | INVITE <name> file <size> <sha256> :<file-name>.
void Invite(Command& cmd, Reply r) {
  const auto& p = cmd.params;
  std::optional<core::PeerBroker::FileOffer> file;
  if (p[1] == "file" && p.size() == 5) {
    core::PeerBroker::FileOffer offer{0, p[3], p[4]};
    if (!protocol::ParseCount(p[2], &offer.size) || !ParseSha256(offer.sha256) ||
        offer.name.empty() || offer.name.size() > 255) {
      return r.Fail(core::Fail(protocol::Code::kBadArguments));
    }
    file = std::move(offer);
  } else if (p[1] != "chat" || p.size() != 2) {
    return r.Fail(core::Fail(protocol::Code::kBadArguments));
  }
  auto o = Peers(r).Invite(r.session(), p[0], std::move(file));
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

}  // namespace caucus::session
