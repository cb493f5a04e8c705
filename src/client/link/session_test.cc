#include "client/link/session.h"

#include <gtest/gtest.h>

namespace caucus::client {
namespace {

using Kind = Received::Kind;

TEST(SessionTest, TagsEachCommandAndWritesItsLine) {
  Session s;
  std::string out;
  EXPECT_EQ(s.Submit({"WHO", {}, std::nullopt}, &out), "c1");
  EXPECT_EQ(s.Submit({"SEND", {"bob"}, "hi there"}, &out), "c2");
  EXPECT_EQ(out, "@c1 WHO\n@c2 SEND bob :hi there\n");
  EXPECT_EQ(s.waiting(), 2u);
}

TEST(SessionTest, RefusesWhatCannotBeSent) {
  Session s;
  std::string out;
  EXPECT_EQ(s.Submit({"BLOCK", {"two words"}, std::nullopt}, &out), "");
  EXPECT_EQ(out, "");
  EXPECT_EQ(s.waiting(), 0u);
  EXPECT_EQ(s.Submit({"WHO", {}, std::nullopt}, &out), "c1");
}

// Each case: lines received after sending one command tagged c1; what the
// last line gives.
struct ReceiveCase {
  std::string name;
  std::vector<std::string> lines;
  Kind kind;
  std::string verb = {};  // of the event or the reply
  bool ok = false;
  std::string code = {};
  std::vector<std::string> params = {};
  std::string text = {};
  size_t data = 0;
};

class ReceiveTest : public ::testing::TestWithParam<ReceiveCase> {};

TEST_P(ReceiveTest, Classifies) {
  const auto& c = GetParam();
  Session s;
  std::string out;
  ASSERT_EQ(s.Submit({"WHO", {}, std::nullopt}, &out), "c1");
  Received r;
  for (const auto& line : c.lines) r = s.Receive(line);
  ASSERT_EQ(r.kind, c.kind);
  if (c.kind == Kind::kEvent) {
    EXPECT_EQ(r.event.verb, c.verb);
    EXPECT_EQ(r.event.params, c.params);
    EXPECT_EQ(s.waiting(), 1u);
  } else if (c.kind == Kind::kReply) {
    EXPECT_EQ(r.reply.tag, "c1");
    EXPECT_EQ(r.reply.verb, c.verb);
    EXPECT_EQ(r.reply.ok, c.ok);
    EXPECT_EQ(r.reply.code, c.code);
    EXPECT_EQ(r.reply.params, c.params);
    EXPECT_EQ(r.reply.text, c.text);
    EXPECT_EQ(r.reply.data.size(), c.data);
    EXPECT_EQ(s.waiting(), 0u);
  }
}

using P = std::vector<std::string>;

INSTANTIATE_TEST_SUITE_P(
    Lines, ReceiveTest,
    ::testing::Values(ReceiveCase{"Greeting",
                                  {"HELLO caucus/1 srv :Welcome here"},
                                  Kind::kEvent,
                                  "HELLO",
                                  false,
                                  "",
                                  P{"caucus/1", "srv", "Welcome here"}},
                      ReceiveCase{"DirectMessage",
                                  {"MSG 7 2026-11-21T19:08:00.123Z bob dm :hi  you"},
                                  Kind::kEvent,
                                  "MSG",
                                  false,
                                  "",
                                  P{"7", "2026-11-21T19:08:00.123Z", "bob", "dm", "hi  you"}},
                      ReceiveCase{"Bye",
                                  {"BYE SHUTDOWN :server shutting down"},
                                  Kind::kEvent,
                                  "BYE",
                                  false,
                                  "",
                                  P{"SHUTDOWN", "server shutting down"}},
                      ReceiveCase{"Ok", {"@c1 OK WHO 0"}, Kind::kReply, "WHO", true, "", P{"0"}},
                      ReceiveCase{"DataThenOk",
                                  {"@c1 USER bob 2026-11-21T19:08:00.123Z online",
                                   "MSG 1 2026-11-21T19:08:00.123Z carol broadcast :between",
                                   "@c1 USER amy 2026-11-21T19:08:00.123Z offline", "@c1 OK WHO 2"},
                                  Kind::kReply,
                                  "WHO",
                                  true,
                                  "",
                                  P{"2"},
                                  "",
                                  2},
                      ReceiveCase{"DataLineAlone",
                                  {"@c1 USER bob 2026-11-21T19:08:00.123Z online"},
                                  Kind::kNothing},
                      ReceiveCase{"ErrWithParamsAndText",
                                  {"@c1 ERR LOGIN AUTH_FAILED 2 :wrong password"},
                                  Kind::kReply,
                                  "LOGIN",
                                  false,
                                  "AUTH_FAILED",
                                  P{"2"},
                                  "wrong password"},
                      ReceiveCase{"ErrWithoutParams",
                                  {"@c1 ERR SEND NO_SUCH_USER :no such user"},
                                  Kind::kReply,
                                  "SEND",
                                  false,
                                  "NO_SUCH_USER",
                                  P{},
                                  "no such user"},
                      ReceiveCase{"UntaggedErrAnswersTheOldest",
                                  {"ERR - LINE_TOO_LONG :line too long"},
                                  Kind::kReply,
                                  "-",
                                  false,
                                  "LINE_TOO_LONG",
                                  P{},
                                  "line too long"},
                      ReceiveCase{"UnknownTag", {"@c9 OK WHO 0"}, Kind::kUnexpected},
                      ReceiveCase{"FinalWithoutVerb", {"@c1 OK"}, Kind::kUnexpected},
                      ReceiveCase{"BadBytes", {"MSG \xff"}, Kind::kUnexpected},
                      ReceiveCase{"Empty", {""}, Kind::kNothing}),
    [](const auto& info) { return info.param.name; });

TEST(SessionTest, RepliesCompleteInOrder) {
  Session s;
  std::string out;
  s.Submit({"POST", {}, "a"}, &out);
  s.Submit({"POST", {}, "b"}, &out);
  EXPECT_EQ(s.Receive("@c2 OK POST 2 2026-11-21T19:08:00.123Z").kind, Kind::kUnexpected);
  EXPECT_EQ(s.Receive("@c1 OK POST 1 2026-11-21T19:08:00.123Z").reply.tag, "c1");
  EXPECT_EQ(s.Receive("@c2 OK POST 2 2026-11-21T19:08:00.123Z").reply.tag, "c2");
}

TEST(SessionTest, ResetForgetsWaitingCommands) {
  Session s;
  std::string out;
  s.Submit({"WHO", {}, std::nullopt}, &out);
  s.Reset();
  EXPECT_EQ(s.waiting(), 0u);
  EXPECT_EQ(s.Receive("@c1 OK WHO 0").kind, Kind::kUnexpected);
  EXPECT_EQ(s.Submit({"WHO", {}, std::nullopt}, &out), "c2");
}

}  // namespace
}  // namespace caucus::client
