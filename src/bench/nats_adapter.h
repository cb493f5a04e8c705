// NatsAdapter: the NATS client protocol (text, CRLF-ended control lines).
//
// Handshake: CONNECT with verbose off and echo off (a publisher does not
// receive its own messages, as in IRC and Caucus), SUB to the broadcast
// subject and/or to the connection's own inbox subject, then PING: the
// server answers PONG once it has processed everything before it, so the
// first PONG means ready. A delivery is a MSG control line followed by the
// payload on the next line (benchmark payloads never hold CR or LF).
#pragma once

#include "bench/protocol_adapter.h"

namespace caucus::bench {

class NatsAdapter : public ProtocolAdapter {
 public:
  static constexpr std::string_view kSubject = "bench";

  NatsAdapter(std::string name, Membership membership);

  void Start(std::string& out) override;
  Event OnLine(std::string_view line, std::string& out) override;
  void Publish(std::string& out, std::string_view text) override;
  void Direct(std::string& out, std::string_view to, std::string_view text) override;
  void Ping(std::string& out) override;
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  Membership membership_;
  bool ready_ = false;
  bool payload_next_ = false;
};

}  // namespace caucus::bench
