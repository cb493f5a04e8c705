// Request: one command for the server, and how it is written on the wire.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caucus::client {

struct Request {
  std::string verb;                 // e.g. "SEND"
  std::vector<std::string> words;   // parameters sent as words
  std::optional<std::string> text;  // a last parameter sent in trailing form (":...")
};

// Appends `request` as one protocol line, "@tag VERB words... :text\n", to
// *out (no tag when `tag` is empty). Returns false, appending nothing, when
// a word cannot be sent as one (empty, holds a space, or starts with ':')
// or the text holds CR, LF or NUL.
bool Render(const Request& request, std::string_view tag, std::string* out);

// The line Render() writes, without tag and LF; empty when it cannot.
// For tests and messages.
std::string ToLine(const Request& request);

}  // namespace caucus::client
