// Running the commands people type (command_table.h): parse the line, talk
// to the server, show the outcome.
#pragma once

#include <string_view>

#include "client/context.h"

namespace caucus::client {

// Runs one line. An empty line does nothing (kOk).
Outcome Execute(Context& ctx, std::string_view line);

// Logs out (the session ends on the server; a saved one is forgotten) and
// says so; kLeave. When the connection is already gone, only forgets.
Outcome LogOut(Context& ctx);

}  // namespace caucus::client
