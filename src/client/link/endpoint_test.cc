#include "client/link/endpoint.h"

#include <gtest/gtest.h>

namespace caucus::client {
namespace {

TEST(EndpointTest, Parses) {
  struct Case {
    std::string host, port;
    bool ok;
    std::string key;
  };
  const Case cases[] = {
      {"localhost", "5545", true, "localhost:5545"},
      {"Chat.Example.ORG", "1", true, "chat.example.org:1"},
      {"192.0.2.7", "65535", true, "192.0.2.7:65535"},
      {"::1", "5545", true, "[::1]:5545"},
      {"[2001:DB8::1]", "80", true, "[2001:db8::1]:80"},
      {"localhost", "0", false, ""},
      {"localhost", "65536", false, ""},
      {"localhost", "http", false, ""},
      {"", "5545", false, ""},
      {"[]", "5545", false, ""},
      {"a b", "5545", false, ""},
  };
  for (const auto& c : cases) {
    Endpoint e;
    std::string error;
    EXPECT_EQ(ParseEndpoint(c.host, c.port, &e, &error), c.ok) << c.host << " " << c.port;
    if (c.ok) {
      EXPECT_EQ(e.Key(), c.key);
    } else {
      EXPECT_FALSE(error.empty());
    }
  }
}

}  // namespace
}  // namespace caucus::client
