#include "http/cidr.h"

#include <gtest/gtest.h>

namespace caucus::http {
namespace {

TEST(Cidr, ParsesRangesAndAddresses) {
  EXPECT_TRUE(Cidr::Parse("10.0.0.0/8"));
  EXPECT_TRUE(Cidr::Parse("192.0.2.7"));
  EXPECT_TRUE(Cidr::Parse("fd00::/8"));
  EXPECT_TRUE(Cidr::Parse("0.0.0.0/0"));
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/33"));
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/"));
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/8x"));
  EXPECT_FALSE(Cidr::Parse("example.org"));
  EXPECT_FALSE(Cidr::Parse("::/129"));
}

TEST(Cidr, Contains) {
  const auto ten = *Cidr::Parse("10.0.0.0/8");
  EXPECT_TRUE(ten.Contains("10.1.2.3"));
  EXPECT_TRUE(ten.Contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(ten.Contains("11.0.0.1"));
  EXPECT_FALSE(ten.Contains("::1"));
  EXPECT_FALSE(ten.Contains("garbage"));
  const auto odd = *Cidr::Parse("192.168.4.0/22");
  EXPECT_TRUE(odd.Contains("192.168.7.255"));
  EXPECT_FALSE(odd.Contains("192.168.8.0"));
  const auto one = *Cidr::Parse("192.0.2.7");
  EXPECT_TRUE(one.Contains("192.0.2.7"));
  EXPECT_FALSE(one.Contains("192.0.2.8"));
  const auto v6 = *Cidr::Parse("fd00::/8");
  EXPECT_TRUE(v6.Contains("fd12:3456::1"));
  EXPECT_FALSE(v6.Contains("fe80::1"));
  EXPECT_FALSE(v6.Contains("10.0.0.1"));
  EXPECT_TRUE(Cidr::Parse("0.0.0.0/0")->Contains("203.0.113.9"));
}

TEST(Cidr, Loopback) {
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("127.3.4.5"));
  EXPECT_TRUE(IsLoopback("::1"));
  EXPECT_TRUE(IsLoopback("::ffff:127.0.0.1"));
  EXPECT_FALSE(IsLoopback("10.0.0.1"));
  EXPECT_FALSE(IsLoopback("::2"));
}

}  // namespace
}  // namespace caucus::http
