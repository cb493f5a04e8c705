#include "bench/caucus_adapter.h"

#include "bench/line_words.h"
#include "protocol/line_builder.h"

namespace caucus::bench {
namespace {

using protocol::LineBuilder;

}  // namespace

CaucusAdapter::CaucusAdapter(Identity identity) : identity_(std::move(identity)) {}

void CaucusAdapter::Start(std::string& out) {
  if (identity_.token.empty()) {
    Login(out);
  } else {
    LineBuilder(out).Word("RESUME").Word(identity_.token).End();
  }
}

void CaucusAdapter::Login(std::string& out) const {
  LineBuilder(out).Word("LOGIN").Word(identity_.name).Word(identity_.password).End();
}

Event CaucusAdapter::OnLine(std::string_view line, std::string& out) {
  using Kind = Event::Kind;
  // The hot path first: MSG <id> <time> <from> broadcast|dm :<text>
  if (line.starts_with("MSG ")) return {Kind::kDelivery, TrailingParam(line)};
  if (line.starts_with("OK ")) return OnOk(line, out);
  if (line.starts_with("ERR ")) return OnErr(line, out);
  if (line.starts_with("BYE ")) return {Kind::kGone, line};
  return {};
}

Event CaucusAdapter::OnOk(std::string_view line, std::string& out) {
  using Kind = Event::Kind;
  const std::string_view verb = NthWord(line, 1);
  if (verb == "PING") return {Kind::kPong, line};
  if (ready_) return {Kind::kReply, line};
  if (verb == "LOGIN") {
    identity_.token = std::string(NthWord(line, 3));  // OK LOGIN <name> <token>
    ready_ = true;
    return {Kind::kReady, line};
  }
  if (verb == "RESUME") {
    ready_ = true;
    return {Kind::kReady, line};
  }
  if (verb == "REGISTER") {
    Login(out);
    return {};
  }
  return {Kind::kReply, line};
}

Event CaucusAdapter::OnErr(std::string_view line, std::string& out) {
  if (!ready_) {
    const std::string_view verb = NthWord(line, 1);
    const std::string_view code = NthWord(line, 2);
    if (verb == "RESUME" && code == "BAD_TOKEN") {
      identity_.token.clear();
      Login(out);
      return {};
    }
    if (verb == "LOGIN" && code == "NO_SUCH_USER") {
      LineBuilder(out).Word("REGISTER").Word(identity_.name).Word(identity_.password).End();
      return {};
    }
    if (verb == "REGISTER" && code == "NAME_TAKEN") {  // registered meanwhile by another run
      Login(out);
      return {};
    }
  }
  return {Event::Kind::kError, line};
}

void CaucusAdapter::Publish(std::string& out, std::string_view text) {
  LineBuilder(out).Word("BROADCAST").Trailing(text).End();
}

void CaucusAdapter::Direct(std::string& out, std::string_view to, std::string_view text) {
  LineBuilder(out).Word("SEND").Word(to).Trailing(text).End();
}

void CaucusAdapter::Ping(std::string& out) { LineBuilder(out).Word("PING").End(); }

}  // namespace caucus::bench
