// Creating an account from the login prompt, when the name typed has none.
#pragma once

#include <string>
#include <string_view>

#include "client/context.h"

namespace caucus::client {

enum class Registration {
  kCreated,      // *name and *password are what to log in with now
  kDeclined,     // not created (the user said no, or the server refused): ask the name again
  kGaveUp,       // the user gave up answering
  kLost,         // the connection ended
  kInterrupted,  // a signal asked the client to leave
};

// Offers to create the account `*name` and, if the user agrees, creates it.
// The server may make the password itself (it answers the one-word REGISTER);
// it is then shown once, clearly. Otherwise the user types one, twice. A
// server that takes only e-mail addresses gets an address that looks like
// one (checked before it is sent). REQUIRES: a person at the terminal.
Registration OfferRegistration(Context& ctx, std::string* name, std::string* password);

// True when `address` looks like an e-mail address that is also a valid
// account name: "local@domain.tld", one '@', a domain of two or more labels.
bool LooksLikeEmail(std::string_view address);

}  // namespace caucus::client
