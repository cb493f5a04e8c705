#include "client/client_main.h"

#include <sys/stat.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>

#include "client/account/config_files.h"
#include "client/input/signals.h"
#include "client/setup.h"

namespace caucus::client {
namespace {

// The password a script gives: the first line of --password-file, else
// $CAUCUS_PASSWORD. Returns false, after telling why, when the file cannot
// be read.
bool ScriptPassword(const Options& o, std::string* password) {
  if (o.password_file.empty()) {
    if (const char* env = std::getenv("CAUCUS_PASSWORD")) *password = env;
    return true;
  }
  std::ifstream in(o.password_file);
  if (!in || !std::getline(in, *password)) {
    std::cerr << "caucus: cannot read a password from " << o.password_file << "\n";
    return false;
  }
  if (!password->empty() && password->back() == '\r') password->pop_back();
  struct stat st {};
  if (::stat(o.password_file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    std::cerr << "caucus: warning: " << o.password_file
              << " can be read by other users (chmod 600 it)\n";
  }
  return true;
}

}  // namespace

int Main(int argc, char** argv) {
  int status = kExitOk;
  auto options = ParseOptions(argc, argv, &status);
  if (!options) return status;
  Setup setup;
  setup.options = std::move(*options);
  const Options& o = setup.options;
  std::string error;
  std::string host = o.host;
  std::string port = o.port;
  if (!SplitHostPort(&host, &port, &error)) {
    std::cerr << "caucus: " << error << "\n";
    return kExitUsage;
  }
  if (port.empty()) port = o.tls ? "5546" : "5545";
  if (!ParseEndpoint(host, port, &setup.endpoint, &error)) {
    std::cerr << "caucus: " << error << "\n";
    return kExitUsage;
  }
  setup.endpoint.tls = o.tls;
  setup.endpoint.ca_file = o.ca_file;
  const std::string config = ConfigDir();
  if (!config.empty()) {
    setup.tokens.emplace(config + "/sessions");
    setup.history_path = config + "/history";
  }
  if (o.forget) {
    if (!setup.tokens) return kExitOk;
    if (!setup.tokens->Forget(setup.endpoint.Key(), &error)) {
      std::cerr << "caucus: " << error << "\n";
      return kExitFailed;
    }
    std::cout << "forgot the session saved for " << setup.endpoint.Key() << "\n";
    return kExitOk;
  }
  if (!o.no_receipts && (!o.receipts.empty() || !config.empty())) {
    setup.receipts.emplace(o.receipts.empty() ? config + "/receipts" : o.receipts);
  }
  setup.account.name = o.user;
  if (!ScriptPassword(o, &setup.account.password)) return kExitUsage;

  std::setlocale(LC_CTYPE, "");
  signals::Install();
  const bool interactive = !o.json && ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
  if (interactive && !setup.history_path.empty()) {
    EnsurePrivateDir(config, &error);
  } else {
    setup.history_path.clear();
  }
  int code = kExitFailed;
  try {
    code = interactive ? RunInteractive(setup) : RunScript(setup);
  } catch (const std::exception& e) {
    // Nothing is thrown on purpose; if the library does (out of memory),
    // the terminal is already restored by the unwinding.
    std::cerr << "caucus: stopped by an unexpected error: " << e.what() << "\n";
  }
  Wipe(setup.account.password);
  return code;
}

}  // namespace caucus::client
