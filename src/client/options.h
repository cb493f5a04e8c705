// The command line of caucus.
//
//   caucus [HOST] [PORT] [options]     connect (default localhost 5545)
//   caucus help [COMMAND]              the commands, and exit
#pragma once

#include <optional>
#include <string>

namespace caucus::client {

struct Options {
  std::string host = "localhost";
  std::string port;           // empty: 5545, or 5546 with --tls
  bool tls = false;           // --tls
  std::string ca_file;        // --ca FILE
  std::string user;           // --user: log in as NAME
  std::string password_file;  // --password-file: the password is its first line
  bool vote_menu = false;     // --vote
  bool json = false;          // --json: JSON lines, as a script
  bool keep_going = false;    // --keep-going: a script goes on after a failed command
  bool forget = false;        // --forget: delete the saved session and exit
  std::string receipts;       // --receipts FILE (default: the config directory's)
  bool no_receipts = false;   // --no-receipts: do not save receipts
  bool no_color = false;      // --no-color
  int timeout_s = 30;         // --timeout: seconds to wait for an answer
  int retry_s = 300;          // --retry: seconds to keep reconnecting
};

// Parses the command line. Returns nullopt when the program should end
// right away with *status: after --help, --version, `help`, or a mistake
// (told on stderr).
std::optional<Options> ParseOptions(int argc, char** argv, int* status);

}  // namespace caucus::client
