#include "bench/source_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <string>

namespace caucus::bench {
namespace {

sockaddr_in Address(const char* text) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  ::inet_pton(AF_INET, text, &a.sin_addr);
  return a;
}

std::string Text(const sockaddr_in& a) {
  char buf[INET_ADDRSTRLEN];
  return ::inet_ntop(AF_INET, &a.sin_addr, buf, sizeof buf);
}

TEST(SourceAddressTest, NoneWhileFewConnections) {
  EXPECT_FALSE(SourceAddressFor(Address("127.0.0.1"), 0, 20000, 20000).has_value());
}

TEST(SourceAddressTest, SpreadsOverLoopbackAddresses) {
  const sockaddr_in server = Address("127.0.0.1");
  struct Case {
    int64_t index;
    const char* source;
  };
  for (const Case& c : {Case{0, "127.0.0.1"}, Case{19999, "127.0.0.1"}, Case{20000, "127.0.0.2"},
                        Case{99999, "127.0.0.5"}}) {
    auto s = SourceAddressFor(server, c.index, 100000, 20000);
    ASSERT_TRUE(s.has_value()) << c.index;
    EXPECT_EQ(Text(*s), c.source) << c.index;
    EXPECT_EQ(s->sin_port, 0);
  }
}

TEST(SourceAddressTest, NoneForAServerOffLoopback) {
  EXPECT_FALSE(SourceAddressFor(Address("10.1.2.3"), 50000, 100000, 20000).has_value());
}

}  // namespace
}  // namespace caucus::bench
