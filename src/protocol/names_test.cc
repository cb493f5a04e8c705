#include "protocol/names.h"

#include <gtest/gtest.h>

#include "protocol/line_builder.h"

namespace caucus::protocol {
namespace {

TEST(NamesTest, Valid) {
  for (const char* ok : {"Q", "9lives", "a.b_c-d+e@mail.example.org", "alice@example.org"}) {
    EXPECT_TRUE(IsValidName(ok)) << ok;
  }
  EXPECT_TRUE(IsValidName(std::string(64, 'x')));
}

TEST(NamesTest, Invalid) {
  for (const char* bad : {"", "_a", ".a", "-a", "@a", "+a", "a/x", "a#x", "a!x", "a,x", "a*",
                          "a(x)", "a=x", "a\tx", "a'x", "a%x", "a b", "\xc3\xbc"}) {
    EXPECT_FALSE(IsValidName(bad)) << bad;
  }
  EXPECT_FALSE(IsValidName(std::string(65, 'x')));
}

TEST(NamesTest, FoldsAsciiOnly) {
  EXPECT_EQ(FoldName("MiXed.Case@Example.ORG"), "mixed.case@example.org");
}

TEST(NamesTest, ParseCount) {
  int64_t v = -1;
  EXPECT_TRUE(ParseCount("0", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(ParseCount("60", &v));
  EXPECT_EQ(v, 60);
  for (const char* bad : {"", "-1", "+1", "1.5", "10x", "abc", "1234567890123456789"}) {
    EXPECT_FALSE(ParseCount(bad, &v)) << bad;
  }
}

TEST(LineBuilderTest, BuildsTaggedLines) {
  std::string out;
  LineBuilder(out, "t1").Word("OK").Word("SEND").Int(42).Time(0).Word("stored").End();
  LineBuilder(out).Word("MSG").Int(7).Trailing("hi there").End();
  EXPECT_EQ(out,
            "@t1 OK SEND 42 1970-01-01T00:00:00.000Z stored\n"
            "MSG 7 :hi there\n");
}

TEST(LineBuilderTest, IsWord) {
  EXPECT_TRUE(IsWord("abc"));
  EXPECT_FALSE(IsWord(""));
  EXPECT_FALSE(IsWord(":a"));
  EXPECT_FALSE(IsWord("a b"));
}

}  // namespace
}  // namespace caucus::protocol
