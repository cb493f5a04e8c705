// What the server sends back: data lines, replies and events
// (PROTOCOL.md "Replies and events"), already split into parameters.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace caucus::client {

// One line from the server without its tag: an event such as
// "MSG 7 <time> bob dm :hi", or a data line such as "USER bob <time> online".
struct Line {
  std::string verb;                 // upper-case first word: MSG, USER, ...
  std::vector<std::string> params;  // the rest; the last may have been trailing

  // The i-th parameter, or an empty string when there are fewer.
  const std::string& Param(size_t i) const {
    static const std::string kNone;
    return i < params.size() ? params[i] : kNone;
  }
};

// A command's complete answer: its data lines and its final OK or ERR line.
struct Reply {
  std::string tag;   // the tag the command was sent with
  std::string verb;  // the command answered, upper-case; "-" when the server could not parse it
  bool ok = false;
  std::string code;                 // ERR only: the stable code, e.g. "AUTH_FAILED"
  std::vector<std::string> params;  // OK: after the verb; ERR: after the code, without the text
  std::string text;                 // ERR only: the server's text for people
  std::vector<Line> data;           // the data lines, in order

  const std::string& Param(size_t i) const {
    static const std::string kNone;
    return i < params.size() ? params[i] : kNone;
  }
};

}  // namespace caucus::client
