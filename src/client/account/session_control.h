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
// is, and is for `user` (any user when empty), as the one to resume.
void UseSavedSession(Context& ctx, const std::string& user);

// Connects, logs in, and learns who is online (for completion). Returns
// nullopt when logged in, else the exit status to leave with.
std::optional<int> OpenSession(Context& ctx, Link& link);

// The connection has ended: connects again and resumes when that makes
// sense (reconnect.h). Returns nullopt when logged in again, else the exit
// status to leave with.
std::optional<int> Recover(Context& ctx, Link& link, std::chrono::seconds patience);

// The exit status for a command's Outcome that ends the client, or nullopt
// when the client goes on (kLost is handled by Recover, not here).
std::optional<int> ExitStatusFor(Outcome outcome, bool interactive);

}  // namespace caucus::client
