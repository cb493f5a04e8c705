#include "client/commands/executor.h"

#include <gtest/gtest.h>

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

TEST(ExecutorTest, LogoutAndQuitLeave) {
  FakeWorld w;
  w.ctx.account = {"alice", "tok", ""};
  EXPECT_EQ(Execute(w.ctx, "EX"), Outcome::kLeave);
  EXPECT_EQ(w.ctx.account.token, "tok");
  w.server.Expect("LOGOUT", {"OK LOGOUT"});
  EXPECT_EQ(Execute(w.ctx, "OUT"), Outcome::kLeave);
  EXPECT_EQ(w.ctx.account.token, "");
}

TEST(ExecutorTest, ALostConnectionIsSaid) {
  FakeWorld w;
  w.server.Expect("BLOCKS", {});
  EXPECT_EQ(Execute(w.ctx, "blocks"), Outcome::kLost);
  EXPECT_TRUE(Has(w.out.All(), "may or may not have run"));
}

}  // namespace
}  // namespace caucus::client
