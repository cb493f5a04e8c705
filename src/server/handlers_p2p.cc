// Handlers: P2P, INVITE, ACCEPT, DECLINE.
#include "server/dispatch.h"

namespace caucus::server {

std::vector<Verb> PeerVerbs() { return {}; }

}  // namespace caucus::server
