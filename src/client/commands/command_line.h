// From a line a person typed to the command it means and, for the commands
// that are one request, to that request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/commands/command_table.h"
#include "client/commands/since.h"
#include "client/link/request.h"

namespace caucus::client {

struct Input {
  const CommandSpec* spec = nullptr;  // null for an empty line
  std::vector<std::string> words;     // the arguments before the text
  std::optional<std::string> text;    // the rest of the line, when the command takes text
  // Typed as an alias that asks for what is left out (AliasSpec::prompts):
  // words and text may be missing; the caller asks for them.
  bool asks = false;
};

// Splits `line` into the command, its words and its text, checking the
// counts against the command's spec. Returns false with *error in words
// (an unknown command, or the usage) when the line does not fit.
// An empty or blank line gives true with input->spec null.
bool ParseInput(std::string_view line, Input* input, std::string* error);

// For edit and delete: takes the post's time from the start of the text
// (edit N TIME TEXT, delete N TIME; since.h), leaving the rest as the text.
// Returns false with *error when what is left does not fit (an edit with
// no text, a delete with text that is not a time). REQUIRES: input->spec
// is edit or delete.
bool TakePostTimeOf(Input* input, int64_t now_ms, std::optional<PostTime>* time,
                    std::string* error);

// The request for a command that is one request as typed: who, msg, all,
// block, unblock, blocks, history, post, edit, delete, read, polls, poll,
// verify. Checks the arguments (names, numbers, times relative to `now_ms`)
// and returns nullopt with *error in words when one is wrong.
// REQUIRES: input.spec names one of those commands.
std::optional<Request> BuildRequest(const Input& input, int64_t now_ms, std::string* error);

// The usage line of a command, "usage: msg USER TEXT".
std::string UsageOf(const CommandSpec& spec);

}  // namespace caucus::client
