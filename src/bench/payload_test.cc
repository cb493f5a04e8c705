#include "bench/payload.h"

#include <gtest/gtest.h>

namespace caucus::bench {
namespace {

TEST(PayloadTest, PadsToSize) {
  std::string out = "prefix:";
  AppendPayload(out, {3, 17, 123456789}, 64);
  EXPECT_EQ(out.size(), 7u + 64u);
  EXPECT_EQ(out.substr(7, 16), "3.17.123456789.x");
  EXPECT_EQ(out.back(), 'x');
}

TEST(PayloadTest, GrowsWhenTheStampNeedsMore) {
  std::string out;
  AppendPayload(out, {1, 2, 3}, 2);
  EXPECT_EQ(out, "1.2.3.");
}

TEST(PayloadTest, RoundTrips) {
  for (Stamp s : {Stamp{0, 0, 0}, Stamp{999, 123456, 9'000'000'000'000'000'000}}) {
    std::string out;
    AppendPayload(out, s, 64);
    auto back = ParsePayload(out);
    ASSERT_TRUE(back.has_value()) << out;
    EXPECT_EQ(back->sender, s.sender);
    EXPECT_EQ(back->seq, s.seq);
    EXPECT_EQ(back->sent_ns, s.sent_ns);
  }
}

TEST(PayloadTest, RejectsOtherTexts) {
  for (std::string_view text :
       {"", "hello", "1.2.", "1.2.3", "-1.2.3.", "1..3.", "a.b.c.", "1.2.x."}) {
    EXPECT_FALSE(ParsePayload(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace caucus::bench
