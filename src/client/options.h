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
  std::string port;             // empty: from HOST:PORT, else 5545 (5546 with --tls)
  bool tls = false;             // --tls
  std::string ca_file;          // --ca FILE
  std::string user;             // --user: log in as NAME
  std::string password_file;    // --password-file: the password is its first line
  bool vote_menu = false;       // --vote
  bool json = false;            // --json: JSON lines, as a script
  bool keep_going = false;      // --keep-going: a script goes on after a failed command
  bool forget = false;          // --forget: delete the saved session and exit
  bool stay_signed_in = false;  // --stay-signed-in: leaving keeps the session, saved on disk
  std::string receipts;         // --receipts FILE (default: the config directory's)
  bool no_receipts = false;     // --no-receipts: do not save receipts
  bool no_color = false;        // --no-color
  int timeout_s = 30;           // --timeout: seconds to wait for an answer
  int retry_s = 300;            // --retry: seconds to keep reconnecting
  bool no_p2p = false;          // --no-p2p: no private chats or files
  int p2p_port = 0;             // --p2p-port: TCP and UDP port (0: any)
  int p2p_payload = 1200;       // --p2p-payload: bytes of file data per datagram
  std::string downloads = ".";  // --downloads: where received files go
  bool accept_files = false;    // --accept-files: accept every file offered
  int p2p_announce_udp = 0;     // --p2p-announce-udp: the UDP port announced instead (a forward)
};

// Parses the command line. Returns nullopt when the program should end
// right away with *status: after --help, --version, `help`, or a mistake
// (told on stderr).
std::optional<Options> ParseOptions(int argc, char** argv, int* status);

}  // namespace caucus::client
