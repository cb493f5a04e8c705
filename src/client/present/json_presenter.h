// JsonPresenter: every reply, event and notice as one JSON object per line
// (json.h) on a stream, for --json.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>

#include "client/account/rules.h"
#include "client/present/presenter.h"

namespace caucus::client {

class JsonPresenter : public Presenter {
 public:
  // `now` places times in error messages (see ErrorMessage).
  JsonPresenter(std::FILE* out, std::function<int64_t()> now) : out_(out), now_(std::move(now)) {}
  // The server's rules, for the "message" of errors (see ErrorMessage).
  void set_rules(const ServerRules* rules) { rules_ = rules; }

  void ShowReply(const Request& request, const Reply& reply) override;
  void ShowEvent(const Line& event) override;
  void Info(std::string_view text) override;
  void Text(std::string_view text) override;
  void Error(std::string_view text) override;
  // {"type":"p2p","event":...,"text":...,"error":false, <fields>}
  void Peer(const PeerNotice& notice) override;

 private:
  void Write(const std::string& json);
  std::FILE* out_;
  std::function<int64_t()> now_;
  const ServerRules* rules_ = nullptr;
};

}  // namespace caucus::client
