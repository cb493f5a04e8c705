// Voting and results: the commands that may need the password again
// (PASSWORD_REQUIRED), and the choice list of `vote ID`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/context.h"

namespace caucus::client {

// Sends `request`; when the poll asks for the password, asks for it (or
// takes the one the script was given) and sends it again with the password
// as its last parameter. The password is never shown.
CallResult CallWithPassword(Context& ctx, Request request);

// vote ID [OPTION]. Without OPTION, shows the poll's options and asks for
// one (or several, "1,3"). Shows the receipt and appends it to the receipt log, if kept.
Outcome Vote(Context& ctx, const std::string& poll, std::optional<std::string> option);

// results ID.
Outcome Results(Context& ctx, const std::string& poll);

// True for an option as VOTE takes it: a number from 1 to `most`, or
// several, comma-separated and different, for polls that allow more than
// one choice ("1,3"). `most` 0: no upper bound known.
bool IsOptionList(std::string_view text, int64_t most);

// How many options `text` chooses, as IsOptionList reads it; 0 when it is
// not such a list.
int64_t OptionCount(std::string_view text, int64_t most);

// What a poll allows a ballot, from POLLFLAGS (an extension; a server
// without it, or an error, gives the protocol's one choice, no revote).
struct PollRules {
  int64_t choices = 1;  // choices=N
  bool revote = false;
};
PollRules AskPollRules(Context& ctx, const std::string& poll);

}  // namespace caucus::client
