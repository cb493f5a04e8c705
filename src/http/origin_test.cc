#include "http/origin.h"

#include <gtest/gtest.h>

namespace caucus::http {
namespace {

TEST(Origin, SameOriginByDefault) {
  const std::vector<std::string> none;
  EXPECT_TRUE(OriginAllowed("http://127.0.0.1:8080", "127.0.0.1:8080", none));
  EXPECT_TRUE(OriginAllowed("https://Vote.Example.org", "vote.example.org", none));
  EXPECT_TRUE(OriginAllowed("https://vote.example.org", "vote.example.org:443", none));
  EXPECT_TRUE(OriginAllowed("http://[::1]:8080", "[::1]:8080", none));
  EXPECT_FALSE(OriginAllowed("http://evil.example", "127.0.0.1:8080", none));
  EXPECT_FALSE(OriginAllowed("http://127.0.0.1:9999", "127.0.0.1:8080", none));
  EXPECT_FALSE(OriginAllowed("null", "127.0.0.1:8080", none));
  EXPECT_FALSE(OriginAllowed("file://127.0.0.1:8080", "127.0.0.1:8080", none));
  EXPECT_FALSE(OriginAllowed("http://127.0.0.1:8080/x", "127.0.0.1:8080", none));
  EXPECT_FALSE(OriginAllowed("http://127.0.0.1:8080", "", none));
}

TEST(Origin, NoOriginIsNotABrowserPage) { EXPECT_TRUE(OriginAllowed("", "x", {})); }

TEST(Origin, AllowList) {
  const std::vector<std::string> list = {"https://vote.example.org/", "http://localhost:3000"};
  EXPECT_TRUE(OriginAllowed("https://vote.example.org", "anything", list));
  EXPECT_TRUE(OriginAllowed("HTTP://LOCALHOST:3000", "anything", list));
  EXPECT_FALSE(OriginAllowed("http://vote.example.org", "vote.example.org", list));
  EXPECT_TRUE(OriginAllowed("http://whatever", "x", {"*"}));
}

}  // namespace
}  // namespace caucus::http
