// CaucusAdapter: the Caucus line protocol (PROTOCOL.md) for the benchmark.
//
// Handshake: RESUME <token> when the identity has one; on BAD_TOKEN, or
// without a token, LOGIN <name> <password>; on NO_SUCH_USER, REGISTER and
// then LOGIN. Commands are pipelined: the HELLO greeting is not waited for.
// Every logged-in user is in the broadcast domain and reachable by SEND, so
// Membership asks nothing more.
#pragma once

#include "bench/protocol_adapter.h"

namespace caucus::bench {

class CaucusAdapter : public ProtocolAdapter {
 public:
  explicit CaucusAdapter(Identity identity);

  void Start(std::string& out) override;
  Event OnLine(std::string_view line, std::string& out) override;
  void Publish(std::string& out, std::string_view text) override;
  void Direct(std::string& out, std::string_view to, std::string_view text) override;
  void Ping(std::string& out) override;
  const std::string& name() const override { return identity_.name; }
  const std::string& token() const override { return identity_.token; }

 private:
  Event OnOk(std::string_view line, std::string& out);
  Event OnErr(std::string_view line, std::string& out);
  void Login(std::string& out) const;

  Identity identity_;
  bool ready_ = false;
};

}  // namespace caucus::bench
