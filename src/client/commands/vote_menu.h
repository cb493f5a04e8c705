// The voting menu of `caucus --vote`, as in the voting servers Caucus
// replaces: 1 vote, 2 results, 3 quit. A poll is picked from a numbered
// list; voting then goes as `vote ID` does (vote_flow.h).
#pragma once

#include "client/context.h"

namespace caucus::client {

// Runs the menu until the user quits or gives up. Returns kLeave then, or
// the Outcome that ended it early (kLost, kLocked, kInterrupted).
Outcome RunVoteMenu(Context& ctx);

}  // namespace caucus::client
