#include "bench/line_words.h"

#include <gtest/gtest.h>

namespace caucus::bench {
namespace {

TEST(LineWordsTest, NthWord) {
  EXPECT_EQ(NthWord("OK LOGIN b1 tok", 0), "OK");
  EXPECT_EQ(NthWord("OK LOGIN b1 tok", 3), "tok");
  EXPECT_EQ(NthWord("OK LOGIN b1 tok", 4), "");
  EXPECT_EQ(NthWord("", 0), "");
}

TEST(LineWordsTest, TrailingParam) {
  EXPECT_EQ(TrailingParam("MSG 1 t b2 dm :hi :there"), "hi :there");
  EXPECT_EQ(TrailingParam("MSG 1 t b2 dm :"), "");
  EXPECT_EQ(TrailingParam("OK PING"), "");
}

}  // namespace
}  // namespace caucus::bench
