// Tab completion: command names and aliases as the first word, online user
// names where a command takes a user, command names after `help`, the
// invitations waiting (their ids and senders) after accept and decline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/roster.h"

namespace caucus::client {

// The candidates for `word`, the word being typed after `before`;
// `invitations` are the ids and senders of the invitations waiting.
std::vector<std::string> Completions(const Roster& roster, std::string_view before,
                                     std::string_view word,
                                     const std::vector<std::string>& invitations = {});

}  // namespace caucus::client
