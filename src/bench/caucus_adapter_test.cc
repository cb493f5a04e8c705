#include "bench/caucus_adapter.h"

#include <gtest/gtest.h>

namespace caucus::bench {
namespace {

using Kind = Event::Kind;

TEST(CaucusAdapterTest, ResumesWithAToken) {
  CaucusAdapter a({"b1", "secret-pw", "tok123"});
  std::string out;
  a.Start(out);
  EXPECT_EQ(out, "RESUME tok123\n");
  out.clear();
  EXPECT_EQ(a.OnLine("HELLO caucus/1 caucus :welcome", out).kind, Kind::kNone);
  EXPECT_EQ(a.OnLine("OK RESUME b1", out).kind, Kind::kReady);
  EXPECT_EQ(out, "");
  EXPECT_EQ(a.token(), "tok123");
}

TEST(CaucusAdapterTest, FallsBackToLoginThenRegister) {
  CaucusAdapter a({"b1", "secret-pw", "stale"});
  std::string out;
  a.Start(out);
  out.clear();
  EXPECT_EQ(a.OnLine("ERR RESUME BAD_TOKEN :unknown or expired token", out).kind, Kind::kNone);
  EXPECT_EQ(out, "LOGIN b1 secret-pw\n");
  EXPECT_EQ(a.token(), "");
  out.clear();
  EXPECT_EQ(a.OnLine("ERR LOGIN NO_SUCH_USER :no such user", out).kind, Kind::kNone);
  EXPECT_EQ(out, "REGISTER b1 secret-pw\n");
  out.clear();
  EXPECT_EQ(a.OnLine("OK REGISTER b1", out).kind, Kind::kNone);
  EXPECT_EQ(out, "LOGIN b1 secret-pw\n");
  out.clear();
  EXPECT_EQ(a.OnLine("OK LOGIN b1 newtoken", out).kind, Kind::kReady);
  EXPECT_EQ(a.token(), "newtoken");
}

TEST(CaucusAdapterTest, NameTakenMeansLogInAgain) {
  CaucusAdapter a({"b1", "pw", ""});
  std::string out;
  a.Start(out);
  EXPECT_EQ(out, "LOGIN b1 pw\n");
  out.clear();
  a.OnLine("ERR REGISTER NAME_TAKEN :taken", out);
  EXPECT_EQ(out, "LOGIN b1 pw\n");
}

TEST(CaucusAdapterTest, ClassifiesEvents) {
  CaucusAdapter a({"b1", "pw", "t"});
  std::string out;
  a.OnLine("OK RESUME b1", out);
  struct Case {
    std::string_view line;
    Kind kind;
    std::string_view text;
  };
  for (const Case& c : {
           Case{"MSG 7 2026-11-21T19:08:00.123Z b2 broadcast :1.2.3.xx", Kind::kDelivery,
                "1.2.3.xx"},
           Case{"MSG 8 2026-11-21T19:08:00.123Z b2 dm :a b :c", Kind::kDelivery, "a b :c"},
           Case{"OK PING", Kind::kPong, "OK PING"},
           Case{"OK BROADCAST 7 2026-11-21T19:08:00.123Z 999 0", Kind::kReply,
                "OK BROADCAST 7 2026-11-21T19:08:00.123Z 999 0"},
           Case{"ERR SEND NO_SUCH_USER :no such user", Kind::kError,
                "ERR SEND NO_SUCH_USER :no such user"},
           Case{"BYE TOO_SLOW :read faster", Kind::kGone, "BYE TOO_SLOW :read faster"},
           Case{"PRESENCE b3 online 2026-11-21T19:08:00.123Z", Kind::kNone, ""},
       }) {
    const Event e = a.OnLine(c.line, out);
    EXPECT_EQ(e.kind, c.kind) << c.line;
    EXPECT_EQ(e.text, c.text) << c.line;
  }
  EXPECT_EQ(out, "");
}

TEST(CaucusAdapterTest, ErrorsDuringLoginAreReported) {
  CaucusAdapter a({"b1", "wrong", ""});
  std::string out;
  EXPECT_EQ(a.OnLine("ERR LOGIN AUTH_FAILED 2 :wrong password", out).kind, Kind::kError);
}

TEST(CaucusAdapterTest, BuildsCommands) {
  CaucusAdapter a({"b1", "pw", ""});
  std::string out;
  a.Publish(out, "hello there");
  a.Direct(out, "b2", "0.1.2.x");
  a.Ping(out);
  EXPECT_EQ(out, "BROADCAST :hello there\nSEND b2 :0.1.2.x\nPING\n");
}

}  // namespace
}  // namespace caucus::bench
