// What the end-to-end tests of the caucus client share: a fresh config
// directory (HOME, XDG_CONFIG_HOME) per test, the client's environment,
// scripts run as a user, and waiting for what a client shows.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client_process.h"
#include "harness.h"

namespace caucus::test {

inline constexpr char kPassword[] = "password-123";

class ClientE2E : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Env(std::map<std::string, std::string> extra = {}) const {
    std::map<std::string, std::string> env = {{"HOME", home_.path()},
                                              {"XDG_CONFIG_HOME", home_.path() + "/config"},
                                              {"TERM", "xterm"},
                                              {"LC_ALL", "C.UTF-8"},
                                              {"TZ", "UTC"}};
    for (auto& [k, v] : extra) env[k] = v;
    return env;
  }

  // Starts a script as `user` (logged in with the password from the
  // environment) and returns the process, its input written and closed.
  std::unique_ptr<ClientProcess> Script(const ServerProcess& server, const std::string& user,
                                        const std::string& input,
                                        std::vector<std::string> extra_args = {}) {
    std::vector<std::string> args = {"127.0.0.1", std::to_string(server.port()), "--user", user};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    auto p = std::make_unique<ClientProcess>(args, Env({{"CAUCUS_PASSWORD", kPassword}}), false);
    p->Write(input);
    p->CloseInput();
    return p;
  }

  static void Register(const ServerProcess& server, const std::string& name) {
    Client c("127.0.0.1", server.port());
    auto r = c.Cmd("REGISTER " + name + " " + kPassword);
    ASSERT_TRUE(r.ok()) << r.final;
  }

  TempDir home_;
};

}  // namespace caucus::test

#define ASSERT_SHOWS(process, text)                     \
  ASSERT_NE((process).WaitFor(text), std::string::npos) \
      << "waiting for: " << (text) << "\noutput:\n"     \
      << (process).output() << "\nerrors:\n"            \
      << (process).errors()
