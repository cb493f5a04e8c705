#include "protocol/command.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caucus::protocol {
namespace {

struct ParseCase {
  std::string line;
  ParseStatus status;
  std::string tag;
  std::string verb;
  std::vector<std::string> params;
};

class ParseCommandTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseCommandTest, Parses) {
  const auto& c = GetParam();
  Command cmd;
  ASSERT_EQ(ParseCommand(c.line, &cmd), c.status) << c.line;
  if (c.status != ParseStatus::kOk) return;
  EXPECT_EQ(cmd.tag, c.tag);
  EXPECT_EQ(cmd.verb, c.verb);
  EXPECT_EQ(cmd.params, c.params);
}

using P = std::vector<std::string>;
using S = ParseStatus;

INSTANTIATE_TEST_SUITE_P(
    Grammar, ParseCommandTest,
    ::testing::Values(
        ParseCase{"PING", S::kOk, "", "PING", P{}}, ParseCase{"ping x", S::kOk, "", "PING", P{"x"}},
        ParseCase{"LoGiN bob pw", S::kOk, "", "LOGIN", P{"bob", "pw"}},
        ParseCase{"SEND   bob    hi", S::kOk, "", "SEND", P{"bob", "hi"}},
        ParseCase{"  PING  x  ", S::kOk, "", "PING", P{"x"}},
        ParseCase{"SEND bob :hello  world ", S::kOk, "", "SEND", P{"bob", "hello  world "}},
        ParseCase{"SEND bob ::-)", S::kOk, "", "SEND", P{"bob", ":-)"}},
        ParseCase{"SEND bob :", S::kOk, "", "SEND", P{"bob", ""}},
        ParseCase{"BLOCK :bob", S::kOk, "", "BLOCK", P{"bob"}},
        ParseCase{"PING a\tb", S::kOk, "", "PING", P{"a\tb"}},
        ParseCase{"SEND bob :a :b", S::kOk, "", "SEND", P{"bob", "a :b"}},
        ParseCase{"SEND bob a:b", S::kOk, "", "SEND", P{"bob", "a:b"}},
        ParseCase{"@t1 PING x", S::kOk, "t1", "PING", P{"x"}},
        ParseCase{"@Ab_-9z   who", S::kOk, "Ab_-9z", "WHO", P{}},
        ParseCase{"@" + std::string(32, 'x') + " PING", S::kOk, std::string(32, 'x'), "PING", P{}},
        ParseCase{"SEND bob :\xc3\xbcn\xc3\xaf \xe2\x9c\x93", S::kOk, "", "SEND",
                  P{"bob", "\xc3\xbcn\xc3\xaf \xe2\x9c\x93"}},
        ParseCase{"", S::kEmpty, "", "", P{}}, ParseCase{"    ", S::kEmpty, "", "", P{}},
        ParseCase{"@" + std::string(33, 'x') + " PING", S::kBadTag, "", "", P{}},
        ParseCase{"@ PING", S::kBadTag, "", "", P{}},
        ParseCase{"@a.b PING", S::kBadTag, "", "", P{}}, ParseCase{"@t1", S::kNoVerb, "", "", P{}},
        ParseCase{":PING", S::kNoVerb, "", "", P{}},
        ParseCase{"PING \xff", S::kBadEncoding, "", "", P{}},
        ParseCase{"PING \x80"
                  "abc",
                  S::kBadEncoding, "", "", P{}},
        ParseCase{"PING a\xe2\x82", S::kBadEncoding, "", "", P{}},
        ParseCase{"PING \xc0\xaf", S::kBadEncoding, "", "", P{}},
        ParseCase{"PING \xed\xa0\x80", S::kBadEncoding, "", "", P{}},
        ParseCase{"PING \xf4\x90\x80\x80", S::kBadEncoding, "", "", P{}},
        ParseCase{"PING :abc \xfe def", S::kBadEncoding, "", "", P{}},
        ParseCase{std::string("PING a\0b", 8), S::kBadEncoding, "", "", P{}},
        ParseCase{"PING a\x01"
                  "b",
                  S::kBadEncoding, "", "", P{}},
        ParseCase{"PING a\x1b"
                  "b",
                  S::kBadEncoding, "", "", P{}},
        ParseCase{"PING :a\x1f"
                  "b",
                  S::kBadEncoding, "", "", P{}},
        ParseCase{"PING a\rb", S::kBadEncoding, "", "", P{}},
        ParseCase{"PING a\x7f"
                  "b",
                  S::kBadEncoding, "", "", P{}},
        ParseCase{"PING \xf0\x9f\x97\xb3", S::kOk, "", "PING", P{"\xf0\x9f\x97\xb3"}}));

TEST(TagTest, Validity) {
  EXPECT_TRUE(IsValidTag("a"));
  EXPECT_TRUE(IsValidTag("A-Z_a-z_0-9"));
  EXPECT_FALSE(IsValidTag(""));
  EXPECT_FALSE(IsValidTag(std::string(33, 'a')));
  EXPECT_FALSE(IsValidTag("a b"));
  EXPECT_FALSE(IsValidTag("\xc3\xbc"));
}

}  // namespace
}  // namespace caucus::protocol
