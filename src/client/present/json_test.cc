#include "client/present/json.h"

#include <gtest/gtest.h>

namespace caucus::client {
namespace {

TEST(JsonTest, Strings) {
  EXPECT_EQ(JsonString("plain"), "\"plain\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("tab\there\nnl"), "\"tab\\there\\nnl\"");
  EXPECT_EQ(JsonString(std::string("\x01\x7f", 2)), "\"\\u0001\\u007f\"");
  EXPECT_EQ(JsonString("\xc3\xbc\xe2\x9c\x93"), "\"\xc3\xbc\xe2\x9c\x93\"");
}

TEST(JsonTest, Replies) {
  Reply ok;
  ok.verb = "WHO";
  ok.ok = true;
  ok.params = {"1"};
  ok.data = {{"USER", {"bob", "2026-11-21T19:00:00.000Z", "online"}}};
  EXPECT_EQ(JsonReply(ok, ""),
            "{\"type\":\"reply\",\"verb\":\"WHO\",\"ok\":true,\"params\":[\"1\"],\"data\":[{"
            "\"verb\":\"USER\",\"params\":[\"bob\",\"2026-11-21T19:00:00.000Z\",\"online\"]}]}");
  Reply err;
  err.verb = "LOGIN";
  err.code = "AUTH_FAILED";
  err.params = {"2"};
  err.text = "wrong password";
  EXPECT_EQ(JsonReply(err, "wrong password; 2 attempts left"),
            "{\"type\":\"reply\",\"verb\":\"LOGIN\",\"ok\":false,\"code\":\"AUTH_FAILED\","
            "\"params\":[\"2\"],\"text\":\"wrong password\",\"message\":\"wrong password; 2 "
            "attempts left\",\"data\":[]}");
}

TEST(JsonTest, EventsAndNotices) {
  EXPECT_EQ(JsonEvent({"MSG", {"7", "t", "bob", "dm", "hi \"you\""}}),
            "{\"type\":\"event\",\"verb\":\"MSG\",\"params\":[\"7\",\"t\",\"bob\",\"dm\",\"hi "
            "\\\"you\\\"\"]}");
  EXPECT_EQ(JsonNotice("error", "no"), "{\"type\":\"error\",\"text\":\"no\"}");
}

}  // namespace
}  // namespace caucus::client
