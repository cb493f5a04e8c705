#include "bench/irc_adapter.h"

#include <gtest/gtest.h>

namespace caucus::bench {
namespace {

using Kind = Event::Kind;

TEST(IrcAdapterTest, RegistersAndJoins) {
  IrcAdapter a("b7", {.broadcast = true});
  std::string out;
  a.Start(out);
  EXPECT_EQ(out, "NICK b7\r\nUSER b7 0 * :b7\r\n");
  out.clear();
  EXPECT_EQ(a.OnLine(":irc.local NOTICE * :*** Looking up your hostname", out).kind, Kind::kNone);
  EXPECT_EQ(a.OnLine(":irc.local 001 b7 :Welcome", out).kind, Kind::kNone);
  EXPECT_EQ(out, "JOIN #bench\r\n");
  out.clear();
  EXPECT_EQ(a.OnLine(":irc.local 422 b7 :MOTD File is missing", out).kind, Kind::kNone);
  EXPECT_EQ(a.OnLine(":b7!~b7@localhost JOIN :#bench", out).kind, Kind::kNone);
  EXPECT_EQ(a.OnLine(":irc.local 353 b7 = #bench :b7 b6", out).kind, Kind::kNone);
  EXPECT_EQ(a.OnLine(":irc.local 366 b7 #bench :End of NAMES list", out).kind, Kind::kReady);
  EXPECT_EQ(out, "");
}

TEST(IrcAdapterTest, ReadyAtWelcomeWithoutChannel) {
  IrcAdapter a("b7", {});
  std::string out;
  EXPECT_EQ(a.OnLine(":irc.local 001 b7 :Welcome", out).kind, Kind::kReady);
  EXPECT_EQ(out, "");
}

TEST(IrcAdapterTest, AnswersPings) {
  IrcAdapter a("b7", {});
  std::string out;
  EXPECT_EQ(a.OnLine("PING :irc.local", out).kind, Kind::kNone);
  EXPECT_EQ(a.OnLine(":irc.local PING :x y", out).kind, Kind::kNone);
  EXPECT_EQ(out, "PONG :irc.local\r\nPONG :x y\r\n");
}

TEST(IrcAdapterTest, ClassifiesEvents) {
  IrcAdapter a("b7", {});
  std::string out;
  a.OnLine(":irc.local 001 b7 :Welcome", out);
  struct Case {
    std::string_view line;
    Kind kind;
    std::string_view text;
  };
  for (const Case& c : {
           Case{":b2!~b2@localhost PRIVMSG #bench :1.2.3.xx", Kind::kDelivery, "1.2.3.xx"},
           Case{":b2!~b2@localhost PRIVMSG b7 :a b :c", Kind::kDelivery, "a b :c"},
           Case{":irc.local PONG irc.local :bench", Kind::kPong,
                ":irc.local PONG irc.local :bench"},
           Case{":irc.local 433 * b7 :Nickname already in use", Kind::kError,
                ":irc.local 433 * b7 :Nickname already in use"},
           Case{"ERROR :Closing link", Kind::kGone, "ERROR :Closing link"},
           Case{":b3!~b3@localhost JOIN :#bench", Kind::kNone, ""},
           Case{":irc.local 372 b7 :- motd", Kind::kNone, ""},
       }) {
    const Event e = a.OnLine(c.line, out);
    EXPECT_EQ(e.kind, c.kind) << c.line;
    EXPECT_EQ(e.text, c.text) << c.line;
  }
}

TEST(IrcAdapterTest, BuildsCommands) {
  IrcAdapter a("b7", {});
  std::string out;
  a.Publish(out, "hi there");
  a.Direct(out, "b8", "0.1.2.x");
  a.Ping(out);
  EXPECT_EQ(out, "PRIVMSG #bench :hi there\r\nPRIVMSG b8 :0.1.2.x\r\nPING :bench\r\n");
}

}  // namespace
}  // namespace caucus::bench
