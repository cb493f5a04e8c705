// Logging in on a connection that has just greeted.
#pragma once

#include <optional>
#include <string>

#include "client/context.h"

namespace caucus::client {

enum class LoginResult {
  kLoggedIn,
  kFailed,       // refused; the user was told why
  kBusy,         // the account is online elsewhere (ALREADY_ONLINE)
  kLocked,       // too many wrong passwords; the server closes the connection
  kGaveUp,       // the user gave up answering
  kLost,         // the connection ended
  kInterrupted,  // a signal asked the client to leave
};

// With a session token (ctx.account.token), RESUMEs it and says whose
// session it is; a token the server no longer knows is forgotten and a
// password login follows. Otherwise LOGINs with ctx.account.name and
// .password, asking at the terminal for what is missing, again after a
// wrong password, and offering to create an unknown account. A script gets
// no questions: its name and password must be given. A new token is saved
// (SaveSession).
//
// `again`: logging in again after the connection ended (reconnect.h). At
// a terminal, when the session has ended meanwhile, the client says so and
// asks before it asks for a password: a line typed for the chat is never
// taken as one.
LoginResult LogIn(Context& ctx, bool again = false);

// At a terminal, after the session ended without the user asking (an idle
// logout): says `why` and that what is typed is not sent, then asks
// whether to log in again (as ctx.account.name). nullopt when yes (a
// password login should follow), else kGaveUp.
std::optional<LoginResult> AskToLogInAgain(Context& ctx, const std::string& why);

}  // namespace caucus::client
