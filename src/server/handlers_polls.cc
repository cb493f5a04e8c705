// Handlers: POLLS, POLLINFO, VOTE, RESULTS, VERIFY and the admin verbs.
#include "server/dispatch.h"

namespace caucus::server {

std::vector<Verb> PollVerbs() { return {}; }

}  // namespace caucus::server
