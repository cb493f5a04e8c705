#include "bench/irc_adapter.h"

namespace caucus::bench {
namespace {

// A message split as RFC 2812 section 2.3.1 has it: [":" prefix SP] command params.
struct IrcLine {
  std::string_view command;
  std::string_view params;  // everything after the command's space
};

IrcLine Split(std::string_view line) {
  if (line.starts_with(':')) {
    const size_t sp = line.find(' ');
    line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
  }
  const size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return {line, {}};
  return {line.substr(0, sp), line.substr(sp + 1)};
}

// The trailing parameter: what follows the first " :" (or a leading ':').
std::string_view Trailing(std::string_view params) {
  if (params.starts_with(':')) return params.substr(1);
  const size_t at = params.find(" :");
  return at == std::string_view::npos ? std::string_view() : params.substr(at + 2);
}

// ERR_* replies are 400 to 599; 422 (no MOTD) is only informative.
bool IsErrorNumeric(std::string_view command) {
  if (command.size() != 3 || command == "422") return false;
  return (command[0] == '4' || command[0] == '5') && command[1] >= '0' && command[1] <= '9' &&
         command[2] >= '0' && command[2] <= '9';
}

}  // namespace

IrcAdapter::IrcAdapter(std::string nick, Membership membership)
    : nick_(std::move(nick)), membership_(membership) {}

void IrcAdapter::Start(std::string& out) {
  out.append("NICK ").append(nick_).append("\r\nUSER ").append(nick_).append(" 0 * :");
  out.append(nick_).append("\r\n");
}

Event IrcAdapter::OnLine(std::string_view line, std::string& out) {
  using Kind = Event::Kind;
  const IrcLine m = Split(line);
  if (m.command == "PRIVMSG") return {Kind::kDelivery, Trailing(m.params)};
  if (m.command == "PING") {
    out.append("PONG ").append(m.params).append("\r\n");
    return {};
  }
  if (m.command == "PONG") return ready_ ? Event{Kind::kPong, line} : Event{};
  if (!ready_ && m.command == "001") {
    if (!membership_.broadcast) {
      ready_ = true;
      return {Kind::kReady, line};
    }
    out.append("JOIN ").append(kChannel).append("\r\n");
    return {};
  }
  if (!ready_ && m.command == "366") {
    ready_ = true;
    return {Kind::kReady, line};
  }
  if (m.command == "ERROR") return {Kind::kGone, line};
  if (IsErrorNumeric(m.command)) return {Kind::kError, line};
  return {};
}

void IrcAdapter::Publish(std::string& out, std::string_view text) {
  out.append("PRIVMSG ").append(kChannel).append(" :").append(text).append("\r\n");
}

void IrcAdapter::Direct(std::string& out, std::string_view to, std::string_view text) {
  out.append("PRIVMSG ").append(to).append(" :").append(text).append("\r\n");
}

void IrcAdapter::Ping(std::string& out) { out.append("PING :bench\r\n"); }

}  // namespace caucus::bench
