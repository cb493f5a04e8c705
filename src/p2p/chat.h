// The private chat over a direct TCP connection (docs/protocol.md,
// "Private chat"): the connecting side's first line is
// "CAUCUS-CHAT/1 <ticket>"; after that each line, both ways, is one message:
// clean UTF-8 text (protocol/utf8.h), 1 to kMaxChatText bytes, LF-ended.
// Anything else ends the chat.
//
// ChatReader splits received bytes into that first line and messages.
// Pure and socket-free.
//
// Thread-safety: none; one reader per connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/framer.h"

namespace caucus::p2p {

constexpr size_t kMaxChatText = 4000;
constexpr std::string_view kChatHello = "CAUCUS-CHAT/1";

// The first line a connecting client sends, with its LF.
std::string ChatHelloLine(std::string_view ticket);
// A message line, with its LF; nullopt when `text` cannot be sent (empty,
// too long, or not clean text).
std::optional<std::string> ChatMessageLine(std::string_view text);

class ChatReader {
 public:
  enum class Kind {
    kNone,     // more bytes are needed
    kHello,    // the first line: `text` is the ticket
    kMessage,  // `text` is a message
    kBad,      // the peer broke the protocol: close the connection
  };
  struct Item {
    Kind kind = Kind::kNone;
    std::string text;
  };

  // `expect_hello`: this side accepted the connection, so the first line is
  // the ticket.
  explicit ChatReader(bool expect_hello) : awaiting_hello_(expect_hello) {}

  void Append(std::string_view bytes) { framer_.Append(bytes); }
  Item Next();

 private:
  protocol::LineFramer framer_{kMaxChatText + 2};
  bool awaiting_hello_;
  bool broken_ = false;
};

}  // namespace caucus::p2p
