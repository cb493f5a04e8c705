#include "bench/protocol_adapter.h"

#include "bench/caucus_adapter.h"
#include "bench/irc_adapter.h"
#include "bench/nats_adapter.h"

namespace caucus::bench {

std::optional<Protocol> ParseProtocol(std::string_view name) {
  if (name == "caucus") return Protocol::kCaucus;
  if (name == "irc") return Protocol::kIrc;
  if (name == "nats") return Protocol::kNats;
  return std::nullopt;
}

const char* ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kCaucus:
      return "caucus";
    case Protocol::kIrc:
      return "irc";
    case Protocol::kNats:
      return "nats";
  }
  return "?";
}

const std::string& ProtocolAdapter::token() const {
  static const std::string kNone;
  return kNone;
}

std::unique_ptr<ProtocolAdapter> MakeAdapter(Protocol p, Identity identity, Membership membership) {
  switch (p) {
    case Protocol::kCaucus:
      return std::make_unique<CaucusAdapter>(std::move(identity));
    case Protocol::kIrc:
      return std::make_unique<IrcAdapter>(std::move(identity.name), membership);
    case Protocol::kNats:
      return std::make_unique<NatsAdapter>(std::move(identity.name), membership);
  }
  return nullptr;
}

}  // namespace caucus::bench
