// ProtocolAdapter: what a workload needs from a chat protocol, for one
// connection. The workloads speak in these terms (become ready, publish to
// the broadcast domain, send directly to one user, ping); an adapter turns
// them into lines and classifies the lines that come back.
//
// Adapters are pure: they append to the caller's output buffer and never
// touch a socket, so they are tested on strings. Thread-safety: none; one
// adapter belongs to one connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace caucus::bench {

enum class Protocol { kCaucus, kIrc, kNats };

std::optional<Protocol> ParseProtocol(std::string_view name);  // "caucus", "irc", "nats"
const char* ProtocolName(Protocol p);

// Who a connection is. `password` and `token` matter to Caucus only: with a
// token the connection RESUMEs, otherwise it LOGINs (and REGISTERs first
// when the account does not exist).
struct Identity {
  std::string name;
  std::string password;
  std::string token;
};

// What a connection must have joined before it counts as ready.
struct Membership {
  bool broadcast = false;  // the broadcast domain: IRC channel, NATS subject
  bool inbox = false;      // reachable by Direct() (NATS subscribes to its own subject)
};

struct Event {
  enum class Kind {
    kNone,      // nothing a workload needs (greetings, presence, joins, ...)
    kReady,     // logged in or registered, and joined what Membership asked for
    kDelivery,  // a message from another user; `text` is its text
    kPong,      // the answer to Ping()
    kReply,     // a positive answer to a command (Caucus OK ...); `text` is the line
    kError,     // an error answer; `text` is the line
    kGone,      // the server is closing the connection; `text` is the line
  };
  Kind kind = Kind::kNone;
  std::string_view text;  // valid until the next call on the adapter or the line's buffer
};

class ProtocolAdapter {
 public:
  virtual ~ProtocolAdapter() = default;

  // Appends the lines to send once connected (greeting, login, joins).
  virtual void Start(std::string& out) = 0;

  // Classifies one received line (without its line ending). May append lines
  // to `out`: the next step of the handshake, or a PONG the server asked for.
  virtual Event OnLine(std::string_view line, std::string& out) = 0;

  // Appends a message to everyone in the broadcast domain.
  virtual void Publish(std::string& out, std::string_view text) = 0;

  // Appends a message to one user, by the name in its Identity.
  virtual void Direct(std::string& out, std::string_view to, std::string_view text) = 0;

  // Appends a ping; the server's answer is classified as kPong.
  virtual void Ping(std::string& out) = 0;

  // The user's name: account name, nick or client name.
  virtual const std::string& name() const = 0;

  // Caucus: the session token of the latest LOGIN or RESUME; empty elsewhere.
  virtual const std::string& token() const;
};

std::unique_ptr<ProtocolAdapter> MakeAdapter(Protocol p, Identity identity, Membership membership);

}  // namespace caucus::bench
