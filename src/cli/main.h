// caucusd's main(): command line, logging, and the server or a subcommand.
#pragma once

namespace caucus::cli {

int Main(int argc, char** argv);

}  // namespace caucus::cli
