#include "protocol/framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caucus::protocol {
namespace {

// Feeds `chunks` one after another and collects every frame as text:
// the line itself, or "<TOO_LONG>".
std::vector<std::string> Frames(size_t max_line, const std::vector<std::string>& chunks) {
  LineFramer framer(max_line);
  std::vector<std::string> out;
  for (const auto& chunk : chunks) {
    framer.Append(chunk);
    for (auto f = framer.Next(); f.kind != LineFramer::Kind::kNone; f = framer.Next()) {
      out.push_back(f.kind == LineFramer::Kind::kTooLong ? "<TOO_LONG>" : std::string(f.line));
    }
  }
  return out;
}

struct FramerCase {
  const char* name;
  size_t max_line;
  std::vector<std::string> chunks;
  std::vector<std::string> want;
};

class FramerTest : public ::testing::TestWithParam<FramerCase> {};

TEST_P(FramerTest, Splits) {
  const auto& c = GetParam();
  EXPECT_EQ(Frames(c.max_line, c.chunks), c.want) << c.name;
}

const std::string k8191(8191, 'a');  // with its LF: 8192 bytes
const std::string k8192(8192, 'a');  // with its LF: 8193 bytes

INSTANTIATE_TEST_SUITE_P(
    Table, FramerTest,
    ::testing::Values(
        FramerCase{"one line", 8192, {"PING\n"}, {"PING"}},
        FramerCase{"crlf", 8192, {"PING x\r\n"}, {"PING x"}},
        FramerCase{"only the cr before lf goes", 8192, {"a\rb\r\r\n"}, {"a\rb\r"}},
        FramerCase{"two lines in one read", 8192, {"A\nB\n"}, {"A", "B"}},
        FramerCase{"split across reads", 8192, {"PI", "NG", " x\nPO", "NG\n"}, {"PING x", "PONG"}},
        FramerCase{"empty lines", 8192, {"\n\r\n"}, {"", ""}},
        FramerCase{"no lf yet", 8192, {"PING"}, {}},
        FramerCase{"8192 bytes with lf accepted", 8192, {k8191 + "\n"}, {k8191}},
        FramerCase{
            "8193 bytes with lf refused", 8192, {k8192 + "\nPING\n"}, {"<TOO_LONG>", "PING"}},
        FramerCase{"long line in pieces reported once",
                   8192,
                   {std::string(5000, 'b'), std::string(5000, 'b'), std::string(30000, 'b'),
                    "b PING x\nPING y\n"},
                   {"<TOO_LONG>", "PING y"}},
        FramerCase{"long line then its lf alone",
                   16,
                   {std::string(40, 'c'), "\n", "ok\n"},
                   {"<TOO_LONG>", "ok"}},
        FramerCase{"exact limit without lf waits",
                   16,
                   {std::string(15, 'd'), "\n"},
                   {std::string(15, 'd')}},
        FramerCase{
            "limit reached without lf", 16, {std::string(16, 'e'), "\nf\n"}, {"<TOO_LONG>", "f"}}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n) {
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return n;
    });

TEST(FramerMemoryTest, DiscardedBytesAreNotBuffered) {
  LineFramer framer(100);
  for (int i = 0; i < 1000; ++i) {
    framer.Append(std::string(1000, 'x'));
    EXPECT_EQ(framer.Next().kind, LineFramer::Kind::kNone);
    EXPECT_LE(framer.buffered(), 1000u);
  }
  framer.Append("\n");
  EXPECT_EQ(framer.Next().kind, LineFramer::Kind::kTooLong);
}

TEST(FramerMemoryTest, CompactKeepsPartialLine) {
  LineFramer framer(100);
  framer.Append("ONE\nTW");
  EXPECT_EQ(framer.Next().line, "ONE");
  framer.Compact();
  EXPECT_EQ(framer.buffered(), 2u);
  framer.Append("O\n");
  EXPECT_EQ(framer.Next().line, "TWO");
  framer.Compact();
  EXPECT_EQ(framer.buffered(), 0u);
}

}  // namespace
}  // namespace caucus::protocol
