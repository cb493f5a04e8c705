#include "cli/main.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "cli/admin_cli.h"
#include "cli/server_flags.h"
#include "core/secrets.h"
#include "server/options.h"
#include "server/server.h"

namespace caucus::cli {

using server::Server;
using server::ServerOptions;

namespace {

// Every subcommand takes caucusd's own options (they fall through), which
// CLI11 does not list in the subcommand's --help: its footer names the ones
// it uses.
void SayWhichOptionsApply(CLI::App& command, const std::string& path) {
  const auto subs = command.get_subcommands([](const CLI::App*) { return true; });
  for (CLI::App* sub : subs) {
    SayWhichOptionsApply(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name());
  }
  if (path.empty() || !subs.empty()) return;
  std::string uses = "--data DIR (the data directory, ./caucus-data by default), --config FILE";
  if (path == "users add" || path == "users import" || path == "poll create") {
    uses += ", --hash-cost, --min-password (for the accounts it creates)";
  }
  if (path.rfind("tls ", 0) == 0) uses = "none (it writes to DIR only)";
  command.footer(
      "The options of caucusd itself (caucusd --help) are taken here too; this command "
      "uses: " +
      uses + ".");
}

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("caucusd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

int Main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  // A file-size limit (RLIMIT_FSIZE) must fail the write with EFBIG, which
  // the store reports as an error, instead of killing the server.
  std::signal(SIGXFSZ, SIG_IGN);
  if (!core::InitSecrets()) {
    std::cerr << "caucusd: libsodium could not start (no entropy source?)\n";
    return 1;
  }
  CLI::App app(
      "caucusd: the Caucus chat and voting server.\n"
      "Without a subcommand it serves; see docs/operations.md.",
      "caucusd");
  app.option_defaults()->always_capture_default();
  ServerOptions options;
  AddServerOptions(app, &options);
  std::function<int()> subcommand;
  AddAdminCommands(app, &options, &subcommand);
  SayWhichOptionsApply(app, "");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    for (char& c : what) {
      if (c == '\n') c = ' ';
    }
    std::cerr << "caucusd: " << what << "\n";
    return 2;
  }
  if (auto problem = CheckServerOptions(options); !problem.empty()) {
    std::cerr << "caucusd: " << problem << "\n";
    return 2;
  }
  SetUpLogging(options.log_level);
  if (subcommand) return subcommand();

  Server server(options);
  if (auto problem = server.Start(); !problem.empty()) {
    spdlog::error("{}", problem);
    // A database that cannot be reached at start is a usage error, as a
    // malformed --store is.
    return problem.rfind("--store", 0) == 0 ? 2 : 1;
  }
  server.Run();
  return 0;
}

}  // namespace caucus::cli
