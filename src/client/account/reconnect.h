// Connecting, and connecting again after the connection ended.
#pragma once

#include <chrono>
#include <string_view>

#include "client/account/login.h"
#include "client/context.h"
#include "client/link/link.h"

namespace caucus::client {

// Connects to ctx.endpoint once, shows the server's greeting and, to a
// person, its rules (RULES, into *ctx.rules) as a sentence. Returns false,
// after telling why, when that fails.
bool ConnectOnce(Context& ctx, Link& link);

// Whether to connect again after a connection that ended with BYE `reason`
// ("" when it just dropped): not after LOGOUT, LOCKED, REPLACED (the user
// is elsewhere now) or TOO_MANY_CONNECTIONS.
bool ShouldReconnect(std::string_view reason);

// Connects again and logs in again: RESUME, or a password login when the
// session has ended meanwhile (login.h). Retries with growing pauses while
// the server is away, or still holds the old connection (ALREADY_ONLINE),
// for at most `patience`. Tells the user what happens.
LoginResult Reconnect(Context& ctx, Link& link, std::chrono::seconds patience);

}  // namespace caucus::client
