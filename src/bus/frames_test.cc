#include "bus/frames.h"

#include <gtest/gtest.h>

#include <vector>

namespace caucus::bus {
namespace {

std::vector<std::string> Split(std::string_view message, bool* ok) {
  std::vector<std::string> out;
  *ok = ForEachFrame(message, [&](std::string_view p) { out.emplace_back(p); });
  return out;
}

TEST(FramesTest, PayloadsComeBackInOrderWhateverTheirBytes) {
  std::string message;
  const std::vector<std::string> payloads = {"BCAST n1 i 7 :MSG 1 2 a broadcast :hi\r\n", "",
                                             std::string("bin\0\n12\nary", 11), "x"};
  for (const auto& p : payloads) AppendFrame(&message, p);
  bool ok = false;
  EXPECT_EQ(Split(message, &ok), payloads);
  EXPECT_TRUE(ok);
  EXPECT_EQ(message.substr(0, message.find('\n')), std::to_string(payloads[0].size()));
}

TEST(FramesTest, AnEmptyMessageHoldsNothing) {
  bool ok = false;
  EXPECT_TRUE(Split("", &ok).empty());
  EXPECT_TRUE(ok);
}

TEST(FramesTest, AMalformedFrameStopsTheSplitAfterTheGoodOnes) {
  std::string good;
  AppendFrame(&good, "one");
  for (const std::string bad : {"x\nabc", "\nabc", "5\nabc", "3abc", "-1\nabc", "3 \nabc",
                                "99999999999999999999999\nabc"}) {
    bool ok = true;
    const auto got = Split(good + bad, &ok);
    EXPECT_FALSE(ok) << bad;
    EXPECT_EQ(got, std::vector<std::string>{"one"}) << bad;
  }
}

}  // namespace
}  // namespace caucus::bus
