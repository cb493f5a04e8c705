#include "client/options.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "client/commands/command_table.h"
#include "client/context.h"

namespace caucus::client {
namespace {

constexpr const char* kAbout =
    "caucus: the Caucus chat and voting client.\n"
    "At a terminal it asks for your name and password (offering to create the account),\n"
    "then takes commands; `caucus help` lists them. When stdin is not a terminal it runs\n"
    "the commands it reads, one per line, for scripts.";

constexpr const char* kFooter =
    "Scripts log in with --user NAME and the password from --password-file FILE or the\n"
    "environment variable CAUCUS_PASSWORD (never on the command line). Without --user,\n"
    "the session a person left signed in to (--stay-signed-in, detach) is resumed.\n"
    "Leaving (quit, EX, Ctrl-D, Ctrl-C on an empty line) logs out, unless --stay-signed-in\n"
    "is given or the session ends with detach.\n"
    "Files: $XDG_CONFIG_HOME/caucus (or ~/.config/caucus): sessions, receipts, history.\n"
    "Exit status: 0 ok, 1 a command or the connection failed, 2 usage, 3 account locked,\n"
    "4 the server's TLS certificate was refused (--tls).";

}  // namespace

std::optional<Options> ParseOptions(int argc, char** argv, int* status) {
  if (argc >= 2 && std::string_view(argv[1]) == "help") {
    const std::string text = argc >= 3 ? HelpFor(argv[2]) : HelpText();
    if (text.empty()) {
      std::cerr << "caucus: no command '" << argv[2] << "'\n";
      *status = kExitUsage;
    } else {
      std::cout << text << "\n";
      *status = kExitOk;
    }
    return std::nullopt;
  }
  Options o;
  CLI::App app(kAbout, "caucus");
  app.footer(kFooter);
  app.add_option("HOST", o.host,
                 "Server name or address (IPv6 literals as ::1 or [::1]); HOST:PORT gives the "
                 "port too")
      ->capture_default_str();
  app.add_option("PORT", o.port, "Server port (default 5545, or 5546 with --tls)");
  auto* tls = app.add_flag("--tls", o.tls,
                           "Connect over TLS and verify the server's certificate (the system's "
                           "trusted roots, or --ca) and that it names HOST");
  app.add_option("--ca", o.ca_file,
                 "With --tls, trust the certificate(s) in this PEM FILE instead of the system's "
                 "roots (for a self-signed server certificate)")
      ->needs(tls)
      ->check(CLI::ExistingFile);
  app.add_option("--user", o.user, "Log in as NAME");
  app.add_option("--password-file", o.password_file,
                 "Read the password from the first line of FILE");
  auto* vote = app.add_flag("--vote", o.vote_menu, "Voting menu: 1 vote, 2 results, 3 quit");
  app.add_flag("--json", o.json, "Print every reply and event as a JSON object per line");
  app.add_flag("--keep-going", o.keep_going,
               "In a script, go on after a command fails (the exit status is still 1)");
  app.add_flag("--forget", o.forget, "Delete the session saved for HOST PORT, then exit");
  auto* stay = app.add_flag("--stay-signed-in", o.stay_signed_in,
                            "Leaving does not log out: the session is saved, and the next caucus "
                            "here continues it without a password (the detach command does the "
                            "same for one session)");
  app.add_option("--receipts", o.receipts, "Append vote receipts to FILE");
  app.add_flag("--no-receipts", o.no_receipts, "Do not save vote receipts");
  app.add_flag("--no-color", o.no_color, "No colours (also when NO_COLOR is set)");
  app.add_option("--timeout", o.timeout_s, "Seconds to wait for the server's answer")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--retry", o.retry_s, "Seconds to keep trying to reconnect")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  app.add_flag("--no-p2p", o.no_p2p, "No private chats or file transfers: refuse every invitation");
  app.add_option(
         "--p2p-port", o.p2p_port,
         "Listen for private chats (TCP) and files (UDP) on port N (default: any free port)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--p2p-payload", o.p2p_payload,
                 "Bytes of file data per UDP datagram when sending (1200 is safe on any path; up "
                 "to 60000 on loopback and LANs)")
      ->check(CLI::Range(1, 60000))
      ->capture_default_str();
  app.add_option("--downloads", o.downloads, "Directory for received files")
      ->check(CLI::ExistingDirectory)
      ->capture_default_str();
  app.add_option("--p2p-announce-udp", o.p2p_announce_udp,
                 "Announce UDP port N instead of the one listened on (a port forwarded to it)")
      ->check(CLI::Range(0, 65535));
  app.add_flag("--accept-files", o.accept_files, "Accept every file offered (for scripts)");
  // A voting laptop is shared by a queue of voters: nobody stays signed in.
  vote->excludes(stay);
  app.set_version_flag("--version", "caucus 0.1.0 (protocol caucus/1)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    *status = app.exit(e) == 0 ? kExitOk : kExitUsage;
    return std::nullopt;
  }
  return o;
}

}  // namespace caucus::client
