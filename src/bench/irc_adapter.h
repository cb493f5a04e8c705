// IrcAdapter: RFC 2812 client registration and channel messages.
//
// Handshake: NICK and USER; after 001 (welcome) JOIN #bench when Membership
// asks for the broadcast domain, ready at 366 (end of the channel's names),
// else ready at 001. Every nick is reachable by PRIVMSG, so `inbox` asks
// nothing more. Server PINGs are answered.
#pragma once

#include "bench/protocol_adapter.h"

namespace caucus::bench {

class IrcAdapter : public ProtocolAdapter {
 public:
  static constexpr std::string_view kChannel = "#bench";

  IrcAdapter(std::string nick, Membership membership);

  void Start(std::string& out) override;
  Event OnLine(std::string_view line, std::string& out) override;
  void Publish(std::string& out, std::string_view text) override;
  void Direct(std::string& out, std::string_view to, std::string_view text) override;
  void Ping(std::string& out) override;
  const std::string& name() const override { return nick_; }

 private:
  std::string nick_;
  Membership membership_;
  bool ready_ = false;
};

}  // namespace caucus::bench
