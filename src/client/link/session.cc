#include "client/link/session.h"

#include <fmt/format.h>

#include <utility>

#include "protocol/command.h"

namespace caucus::client {
namespace {

// Fills the final-line fields of *reply from "OK <VERB> ..." or
// "ERR <VERB> <CODE> ... :<text>" (already parsed, verb "OK" or "ERR").
bool FillFinal(protocol::Command& cmd, Reply* reply) {
  reply->ok = cmd.verb == "OK";
  auto& p = cmd.params;
  if (p.empty()) return false;
  reply->verb = std::move(p[0]);
  if (reply->ok) {
    reply->params.assign(std::make_move_iterator(p.begin() + 1), std::make_move_iterator(p.end()));
    return true;
  }
  if (p.size() < 2) return false;
  reply->code = std::move(p[1]);
  size_t end = p.size();
  if (cmd.trailing && end > 2) reply->text = std::move(p[--end]);
  reply->params.assign(std::make_move_iterator(p.begin() + 2),
                       std::make_move_iterator(p.begin() + static_cast<ptrdiff_t>(end)));
  return true;
}

}  // namespace

std::string Session::Submit(const Request& request, std::string* out) {
  std::string tag = fmt::format("c{}", next_tag_);
  if (!Render(request, tag, out)) return {};
  ++next_tag_;
  waiting_.push_back({tag, {}});
  return tag;
}

Received Session::Receive(std::string_view text) {
  Received r;
  protocol::Command cmd;
  switch (protocol::ParseCommand(text, &cmd)) {
    case protocol::ParseStatus::kEmpty:
      return r;
    case protocol::ParseStatus::kOk:
      break;
    default:
      r.kind = Received::Kind::kUnexpected;
      r.line.assign(text);
      return r;
  }
  const bool final = cmd.verb == "OK" || cmd.verb == "ERR";
  if (cmd.tag.empty() && !final) {
    r.kind = Received::Kind::kEvent;
    r.event.verb = std::move(cmd.verb);
    r.event.params = std::move(cmd.params);
    return r;
  }
  // A tagged line answers the oldest waiting command. An untagged final
  // line does too: the server could not read that command's tag (a line
  // too long, or with bad bytes).
  if (waiting_.empty() || (!cmd.tag.empty() && cmd.tag != waiting_.front().tag)) {
    r.kind = Received::Kind::kUnexpected;
    r.line.assign(text);
    return r;
  }
  Waiting& w = waiting_.front();
  if (!final) {
    w.reply.data.push_back({std::move(cmd.verb), std::move(cmd.params)});
    return r;
  }
  if (!FillFinal(cmd, &w.reply)) {
    r.kind = Received::Kind::kUnexpected;
    r.line.assign(text);
    return r;
  }
  r.kind = Received::Kind::kReply;
  r.reply = std::move(w.reply);
  r.reply.tag = std::move(w.tag);
  waiting_.pop_front();
  return r;
}

void Session::Reset() { waiting_.clear(); }

}  // namespace caucus::client
