#include "client/commands/executor.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "client/fakes_for_test.h"

namespace caucus::client {
namespace {

using testing::FakeWorld;

bool Has(const std::string& all, const std::string& part) {
  return all.find(part) != std::string::npos;
}

TEST(ExecutorTest, SendsOneRequestAndShowsTheReply) {
  FakeWorld w;
  w.server.Expect("SEND bob :hi there", {"OK SEND 4 2026-11-21T19:00:00.000Z delivered"});
  EXPECT_EQ(Execute(w.ctx, "msg bob hi there"), Outcome::kOk);
  EXPECT_EQ(w.out.shown().back(), "sent to bob");
  w.server.Expect("DELETE 9", {"ERR DELETE NO_SUCH_POST :none"});
  EXPECT_EQ(Execute(w.ctx, "DLT 9"), Outcome::kFailed);
  EXPECT_EQ(w.out.shown().back(), "error: there is no post with that number");
}

TEST(ExecutorTest, MistakesAreCaughtBeforeSending) {
  FakeWorld w;
  EXPECT_EQ(Execute(w.ctx, "msg"), Outcome::kFailed);
  EXPECT_EQ(Execute(w.ctx, "nonsense"), Outcome::kFailed);
  EXPECT_EQ(Execute(w.ctx, ""), Outcome::kOk);
  EXPECT_TRUE(w.server.sent().empty());
  EXPECT_EQ(w.out.shown().front(), "error: usage: msg USER TEXT");
}

TEST(ExecutorTest, WhoFeedsTheRoster) {
  FakeWorld w;
  w.server.Expect("WHO", {"USER bob 2026-11-21T19:00:00.000Z online", "OK WHO 1"});
  EXPECT_EQ(Execute(w.ctx, "whoelse"), Outcome::kOk);
  EXPECT_EQ(w.roster.Matching(""), std::vector<std::string>{"bob"});
}

TEST(ExecutorTest, Help) {
  FakeWorld w;
  EXPECT_EQ(Execute(w.ctx, "help"), Outcome::kOk);
  EXPECT_TRUE(Has(w.out.All(), "vote ID [OPTION]"));
  EXPECT_EQ(Execute(w.ctx, "help DLT"), Outcome::kOk);
  EXPECT_TRUE(Has(w.out.shown().back(), "delete N"));
  EXPECT_EQ(Execute(w.ctx, "help nothing"), Outcome::kFailed);
}

TEST(ExecutorTest, ChangesThePassword) {
  FakeWorld w({"old-pw", "new-pw-1", "new-pw-1"});
  w.ctx.account = {"alice", "tok", ""};
  w.server.Expect("PASSWORD old-pw :new-pw-1", {"OK PASSWORD"});
  EXPECT_EQ(Execute(w.ctx, "passwd"), Outcome::kOk);
  EXPECT_EQ(w.ctx.account.token, "");
  EXPECT_FALSE(Has(w.out.All(), "new-pw"));
}

TEST(ExecutorTest, DifferentNewPasswordsChangeNothing) {
  FakeWorld w({"old-pw", "new-pw-1", "new-pw-2"});
  EXPECT_EQ(Execute(w.ctx, "passwd"), Outcome::kFailed);
  EXPECT_TRUE(w.server.sent().empty());
}

TEST(ExecutorTest, AWrongCurrentPasswordCounts) {
  FakeWorld w({"bad", "new-pw-1", "new-pw-1"});
  w.server.Expect("PASSWORD bad :new-pw-1", {"ERR PASSWORD AUTH_FAILED 1 :wrong"});
  EXPECT_EQ(Execute(w.ctx, "passwd"), Outcome::kFailed);
  EXPECT_TRUE(Has(w.out.All(), "1 attempt left"));
}

TEST(ExecutorTest, QuitAndExLogOutAndSaySo) {
  for (const char* typed : {"EX", "quit", "OUT", "logout", "exit"}) {
    SCOPED_TRACE(typed);
    FakeWorld w;
    w.ctx.account = {"alice", "tok", ""};
    w.server.Expect("LOGOUT", {"OK LOGOUT"});
    EXPECT_EQ(Execute(w.ctx, typed), Outcome::kLeave);
    EXPECT_EQ(w.ctx.account.token, "");
    EXPECT_EQ(w.out.shown().back(), "logged out");
  }
}

TEST(ExecutorTest, DetachNeedsSavedSessions) {
  FakeWorld w;
  w.ctx.account = {"alice", "tok", ""};
  EXPECT_EQ(Execute(w.ctx, "detach"), Outcome::kFailed);  // no token store here
  EXPECT_TRUE(w.server.sent().empty());
  EXPECT_FALSE(w.ctx.stay_signed_in);
}

TEST(ExecutorTest, BarePmAsksForTheMessage) {
  FakeWorld w({"hello all"});
  w.server.Expect("BROADCAST :hello all", {"OK BROADCAST 5 2026-11-21T19:00:00.000Z 2 0"});
  EXPECT_EQ(Execute(w.ctx, "PM"), Outcome::kOk);
  EXPECT_EQ(w.prompter.questions(), std::vector<std::string>{"Message: "});
  EXPECT_EQ(w.out.shown().back(), "sent to 2 people");
}

TEST(ExecutorTest, BareDmShowsWhoIsOnlineAndAsksWhomAndWhat) {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  FakeWorld w({"bob", "just you"});
  w.server.Expect("WHO", {"USER bob 2026-11-21T19:00:00.000Z online", "OK WHO 1"});
  w.server.Expect("SEND bob :just you", {"OK SEND 6 2026-11-21T19:00:00.000Z delivered"});
  EXPECT_EQ(Execute(w.ctx, "DM"), Outcome::kOk);
  EXPECT_EQ(w.prompter.questions(), (std::vector<std::string>{"To: ", "Message: "}));
  EXPECT_TRUE(Has(w.out.All(), "  bob  online since 19:00"));
  EXPECT_EQ(w.out.shown().back(), "sent to bob");
  // Giving up at a question sends nothing.
  FakeWorld gave_up;
  EXPECT_EQ(Execute(gave_up.ctx, "DM bob"), Outcome::kCancelled);
  EXPECT_TRUE(gave_up.server.sent().empty());
}

TEST(ExecutorTest, EditWithThePostsTimeChecksItFirst) {
  // kNow is 19:08:00 UTC; post 3 was made at 18:50:05 and edited at 19:00:00.
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  const std::string board =
      "BOARD 3 2026-11-21T18:50:05.250Z alice 2026-11-21T19:00:00.000Z :old words";
  FakeWorld w;
  w.server.Expect("READ 2026-11-21T18:50:04.999Z", {board, "OK READ 1"});
  w.server.Expect("EDIT 3 :new words", {"OK EDIT 3 2026-11-21T19:08:00.000Z"});
  EXPECT_EQ(Execute(w.ctx, "EDT 3 18:50:05 new words"), Outcome::kOk);
  EXPECT_EQ(w.out.shown().back(), "edited #3");
  // Its last edit's time names it too.
  w.server.Expect("READ 2026-11-21T18:59:59.999Z", {board, "OK READ 1"});
  w.server.Expect("DELETE 3", {"OK DELETE 3"});
  EXPECT_EQ(Execute(w.ctx, "DLT 3 19:00:00"), Outcome::kOk);
  // Another time: refused, nothing changed.
  w.server.Expect("READ 2026-11-21T18:51:04.999Z", {board, "OK READ 1"});
  EXPECT_EQ(Execute(w.ctx, "EDT 3 18:51:05 new words"), Outcome::kFailed);
  EXPECT_EQ(w.out.shown().back(),
            "error: post #3 was not posted or last edited at 18:51:05; nothing was changed "
            "(read shows each post's time)");
  EXPECT_TRUE(w.server.done());
}

TEST(ExecutorTest, ALostConnectionIsSaid) {
  FakeWorld w;
  w.server.Expect("BLOCKS", {});
  EXPECT_EQ(Execute(w.ctx, "blocks"), Outcome::kLost);
  EXPECT_TRUE(Has(w.out.All(), "may or may not have run"));
}

}  // namespace
}  // namespace caucus::client
