#include "client/present/json_presenter.h"

#include <fmt/format.h>

#include <iterator>

#include "client/present/error_text.h"
#include "client/present/json.h"
#include "protocol/json_string.h"

namespace caucus::client {

void JsonPresenter::Write(const std::string& json) {
  std::fwrite(json.data(), 1, json.size(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

void JsonPresenter::ShowReply(const Request&, const Reply& reply) {
  Write(JsonReply(reply, reply.ok ? std::string() : ErrorMessage(reply, now_(), rules_)));
}

void JsonPresenter::ShowEvent(const Line& event) { Write(JsonEvent(event)); }

void JsonPresenter::Info(std::string_view text) { Write(JsonNotice("info", text)); }

void JsonPresenter::Text(std::string_view text) { Write(JsonNotice("text", text)); }

void JsonPresenter::Error(std::string_view text) { Write(JsonNotice("error", text)); }

void JsonPresenter::Peer(const PeerNotice& n) {
  using protocol::JsonString;
  std::string out = fmt::format(R"({{"type":"p2p","event":{},"text":{},"error":{})",
                                JsonString(n.event), JsonString(n.text), n.error);
  for (const auto& [key, value] : n.fields) {
    fmt::format_to(std::back_inserter(out), ",{}:{}", JsonString(key), JsonString(value));
  }
  out += '}';
  Write(out);
}

}  // namespace caucus::client
