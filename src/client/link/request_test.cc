#include "client/link/request.h"

#include <gtest/gtest.h>

namespace caucus::client {
namespace {

TEST(RequestTest, Renders) {
  std::string out;
  ASSERT_TRUE(Render({"SEND", {"bob"}, ":-) hi"}, "t1", &out));
  EXPECT_EQ(out, "@t1 SEND bob ::-) hi\n");
  EXPECT_EQ(ToLine({"WHO", {"60"}, std::nullopt}), "WHO 60");
  EXPECT_EQ(ToLine({"POST", {}, ""}), "POST :");
}

TEST(RequestTest, RefusesWhatIsNotAWord) {
  std::string out = "kept";
  EXPECT_FALSE(Render({"BLOCK", {"a b"}, std::nullopt}, "", &out));
  EXPECT_FALSE(Render({"BLOCK", {":a"}, std::nullopt}, "", &out));
  EXPECT_FALSE(Render({"BLOCK", {""}, std::nullopt}, "", &out));
  EXPECT_FALSE(Render({"POST", {}, "a\nb"}, "", &out));
  EXPECT_FALSE(Render({"POST", {}, std::string("a\0b", 3)}, "", &out));
  EXPECT_EQ(out, "kept");
  EXPECT_EQ(ToLine({"BLOCK", {"a b"}, std::nullopt}), "");
}

}  // namespace
}  // namespace caucus::client
