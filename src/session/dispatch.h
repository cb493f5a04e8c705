// The verb table: which handler answers each command, who may use it and
// how many parameters it takes. Handlers live by concern in handlers_*.cc.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "protocol/command.h"
#include "session/reply.h"

namespace caucus::session {

enum class Access { kAnyone, kLoggedIn, kAdmin };

using Handler = void (*)(protocol::Command& cmd, Reply r);

struct Verb {
  std::string_view name;
  Access access;
  size_t min_params;
  size_t max_params;
  Handler handler;
};

// The verb for an upper-case name; null when unknown.
const Verb* FindVerb(std::string_view name);

// Each concern's verbs (handlers_*.cc).
std::vector<Verb> AccountVerbs();
std::vector<Verb> MessageVerbs();
std::vector<Verb> BoardVerbs();
std::vector<Verb> PollVerbs();
std::vector<Verb> PeerVerbs();

}  // namespace caucus::session
