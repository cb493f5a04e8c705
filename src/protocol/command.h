// Parsing one received line into a Command (the IRC parameter rule of
// PROTOCOL.md "Framing"). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caucus::protocol {

struct Command {
  std::string tag;                  // without the '@'; empty when the line had none
  std::string verb;                 // upper-cased ASCII
  std::vector<std::string> params;  // the last may have come in trailing form
  bool trailing = false;            // the last parameter was sent as ":..."
};

enum class ParseStatus {
  kOk,
  kEmpty,        // nothing but spaces: ignored
  kBadEncoding,  // invalid UTF-8 or a forbidden control byte
  kBadTag,       // '@' not followed by 1 to 32 of A-Z a-z 0-9 _ -
  kNoVerb,       // a tag or trailing parameter without a verb
};

// Parses `line` (LF and a final CR already removed) into `*out`.
// On kBadTag and kNoVerb, out->tag holds the tag if one was valid.
ParseStatus ParseCommand(std::string_view line, Command* out);

// True for 1 to 32 of A-Z a-z 0-9 _ -.
bool IsValidTag(std::string_view tag);

}  // namespace caucus::protocol
