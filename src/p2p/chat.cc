#include "p2p/chat.h"

#include "p2p/wire.h"
#include "protocol/utf8.h"

namespace caucus::p2p {

std::string ChatHelloLine(std::string_view ticket) {
  std::string line(kChatHello);
  line.append(" ").append(ticket).append("\n");
  return line;
}

std::optional<std::string> ChatMessageLine(std::string_view text) {
  if (text.empty() || text.size() > kMaxChatText || !protocol::IsCleanText(text)) {
    return std::nullopt;
  }
  std::string line(text);
  line.push_back('\n');
  return line;
}

ChatReader::Item ChatReader::Next() {
  Item item;
  if (broken_) {
    item.kind = Kind::kBad;
    return item;
  }
  const auto frame = framer_.Next();
  if (frame.kind == protocol::LineFramer::Kind::kNone) return item;
  const std::string_view line = frame.line;
  bool ok = frame.kind == protocol::LineFramer::Kind::kLine;
  if (ok && awaiting_hello_) {
    const std::string_view prefix = std::string_view(kChatHello);
    ok = line.size() > prefix.size() + 1 && line.substr(0, prefix.size()) == prefix &&
         line[prefix.size()] == ' ';
    const std::string_view ticket = ok ? line.substr(prefix.size() + 1) : std::string_view();
    ok = ok && ticket.size() <= kMaxTicket && ticket.find(' ') == std::string_view::npos &&
         protocol::IsCleanText(ticket);
    if (ok) {
      awaiting_hello_ = false;
      item.kind = Kind::kHello;
      item.text = std::string(ticket);
      framer_.Compact();
      return item;
    }
  } else if (ok) {
    ok = !line.empty() && line.size() <= kMaxChatText && protocol::IsCleanText(line);
    if (ok) {
      item.kind = Kind::kMessage;
      item.text = std::string(line);
      framer_.Compact();
      return item;
    }
  }
  broken_ = true;
  item.kind = Kind::kBad;
  return item;
}

}  // namespace caucus::p2p
