// End to end: accounts and sessions against the real caucusd.
#include <gtest/gtest.h>

#include "harness.h"

namespace caucus::test {
namespace {

TEST(AccountsE2E, RegisterLoginAndRelogAfterRestart) {
  ServerProcess server;
  const std::string name = FreshName();
  {
    auto c = LoggedIn(server, name);
    EXPECT_TRUE(c->Cmd("WHO").ok());
  }
  server.Stop();
  server.Start();
  Client c("127.0.0.1", server.port());
  auto r = c.Cmd("LOGIN " + name + " password-123");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(r.params[2], name);
}

}  // namespace
}  // namespace caucus::test
