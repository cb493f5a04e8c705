// caucusd tls self-signed DIR: a key and a self-signed certificate for
// trying TLS out (DIR/cert.pem, DIR/key.pem), valid for localhost,
// 127.0.0.1, ::1 and any --name given.
#pragma once

#include <functional>

#include "server/options.h"

namespace CLI {
class App;
}  // namespace CLI

namespace caucus::cli {

using server::ServerOptions;

void AddTlsCommands(CLI::App& app, ServerOptions* options, std::function<int()>* run);

}  // namespace caucus::cli
