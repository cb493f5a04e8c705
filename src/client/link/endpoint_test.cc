#include "client/link/endpoint.h"

#include <gtest/gtest.h>

namespace caucus::client {
namespace {

TEST(EndpointTest, HostAndPortInOneArgument) {
  struct Case {
    std::string host, port;  // as given
    bool ok;
    std::string split_host, split_port;
  };
  const Case cases[] = {
      {"127.0.0.1:17004", "", true, "127.0.0.1", "17004"},
      {"chat.example.org:5545", "", true, "chat.example.org", "5545"},
      {"[::1]:5545", "", true, "[::1]", "5545"},
      {"::1", "", true, "::1", ""},  // a bare IPv6 literal keeps its colons
      {"[::1]", "5546", true, "[::1]", "5546"},
      {"localhost", "", true, "localhost", ""},
      {"127.0.0.1:17004", "5545", false, "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.host + " " + c.port);
    std::string host = c.host, port = c.port, error;
    EXPECT_EQ(SplitHostPort(&host, &port, &error), c.ok) << error;
    if (!c.ok) {
      EXPECT_NE(error.find("the port is given twice"), std::string::npos) << error;
      continue;
    }
    EXPECT_EQ(host, c.split_host);
    EXPECT_EQ(port, c.split_port);
  }
}

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
