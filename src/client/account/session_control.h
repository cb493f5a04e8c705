// Opening the session at start, and keeping it when the connection ends:
// the decisions both the terminal and the script modes share.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "client/account/login.h"
#include "client/context.h"
#include "client/link/link.h"

namespace caucus::client {

// The exit status for a login that did not succeed.
int ExitStatusFor(LoginResult result, bool interactive);

// Takes the session saved for ctx.endpoint, if sessions are saved and one
// is, and is for `user` (any user when empty), as the one to resume. At a
// terminal without --user, first says whose session it is and asks whether
// to continue it. Never in the voting menu.
void UseSavedSession(Context& ctx, const std::string& user);

// Connects, logs in, and learns who is online (for completion). Returns
// nullopt when logged in, else the exit status to leave with.
std::optional<int> OpenSession(Context& ctx, Link& link);

// The connection has ended: connects again and resumes when that makes
// sense (reconnect.h). After an idle logout, a person is told and asked
// before logging in again. Returns nullopt when logged in again, else the
// exit status to leave with.
std::optional<int> Recover(Context& ctx, Link& link, std::chrono::seconds patience);

// The person leaves (Ctrl-D, Ctrl-C on an empty line, a signal, the voting
// menu's quit): logs out, unless they asked to stay signed in, when the
// session is saved for the next start instead. Returns the exit status.
int Leave(Context& ctx, Link& link);

// The exit status for a command's Outcome that ends the client, or nullopt
// when the client goes on (kLost is handled by Recover, not here).
std::optional<int> ExitStatusFor(Outcome outcome, bool interactive);

}  // namespace caucus::client
