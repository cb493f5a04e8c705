// Logging in on a connection that has just greeted.
#pragma once

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

// With a session token (ctx.account.token), RESUMEs it; a token the server
// no longer knows is forgotten and a password login follows. Otherwise
// LOGINs with ctx.account.name and .password, asking at the terminal for
// what is missing, again after a wrong password, and offering to create an
// unknown account. A script gets no questions: its name and password must
// be given. A new token is saved (SaveSession).
LoginResult LogIn(Context& ctx);

}  // namespace caucus::client
