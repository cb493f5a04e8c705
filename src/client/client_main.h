// main() of the caucus program.
#pragma once

namespace caucus::client {

// Runs the client; returns the exit status (see context.h).
int Main(int argc, char** argv);

}  // namespace caucus::client
