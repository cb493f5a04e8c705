#include "client/account/login.h"

#include <gtest/gtest.h>

#include "client/account/registration.h"
#include "client/fakes_for_test.h"

namespace caucus::client {
namespace {

using testing::FakeWorld;

bool Has(const std::string& all, const std::string& part) {
  return all.find(part) != std::string::npos;
}

TEST(LoginTest, ResumesTheSavedSession) {
  FakeWorld w;
  w.ctx.account = {"alice", "tok", ""};
  w.server.Expect("RESUME tok", {"OK RESUME Alice"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kLoggedIn);
  EXPECT_EQ(w.ctx.account.name, "Alice");
  EXPECT_TRUE(w.server.done());
}

TEST(LoginTest, AnEndedSessionFallsBackToThePassword) {
  FakeWorld w({"pw-1"});
  w.ctx.account = {"alice", "old", ""};
  w.server.Expect("RESUME old", {"ERR RESUME BAD_TOKEN :no"});
  w.server.Expect("LOGIN alice :pw-1", {"OK LOGIN alice tok2"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kLoggedIn);
  EXPECT_EQ(w.ctx.account.token, "tok2");
  EXPECT_EQ(w.prompter.questions(), std::vector<std::string>{"Password for alice: "});
  EXPECT_TRUE(Has(w.out.All(), "the saved session has ended"));
}

TEST(LoginTest, AsksNameAndPasswordAndAgainAfterAWrongOne) {
  FakeWorld w({"no good!", "alice", "wrong", "right"});
  w.server.Expect("LOGIN alice :wrong", {"ERR LOGIN AUTH_FAILED 2 :wrong password"});
  w.server.Expect("LOGIN alice :right", {"OK LOGIN alice tok"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kLoggedIn);
  EXPECT_TRUE(Has(w.out.All(), "error: a name is 1 to 64"));
  EXPECT_TRUE(Has(w.out.All(), "wrong password; 2 attempts left"));
  EXPECT_TRUE(Has(w.out.All(), "* logged in as alice"));
}

TEST(LoginTest, LockedEndsTheLogin) {
  FakeWorld w({"alice", "wrong"});
  w.server.Expect("LOGIN alice :wrong", {"ERR LOGIN LOCKED 10 :locked"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kLocked);
  EXPECT_TRUE(Has(w.out.All(), "locked for 10 seconds"));
}

TEST(LoginTest, AScriptNeedsItsNameAndPassword) {
  FakeWorld w;
  w.ctx.interactive = false;
  w.ctx.account.name = "alice";
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kFailed);
  EXPECT_TRUE(w.server.sent().empty());
  EXPECT_TRUE(Has(w.out.All(), "CAUCUS_PASSWORD"));
}

TEST(LoginTest, AScriptGetsNoSecondChance) {
  FakeWorld w;
  w.ctx.interactive = false;
  w.ctx.account = {"alice", "", "wrong"};
  w.server.Expect("LOGIN alice :wrong", {"ERR LOGIN AUTH_FAILED 2 :wrong password"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kFailed);
  EXPECT_TRUE(w.prompter.questions().empty());
}

TEST(LoginTest, RegistersWithAChosenPassword) {
  FakeWorld w({"dora", "typed-first", "y", "pw-1", "pw-2", "pw-3", "pw-3"});
  w.server.Expect("LOGIN dora :typed-first", {"ERR LOGIN NO_SUCH_USER :no"});
  w.server.Expect("REGISTER dora", {"ERR REGISTER BAD_ARGUMENTS :give a password"});
  w.server.Expect("REGISTER dora :pw-3", {"OK REGISTER dora"});
  w.server.Expect("LOGIN dora :pw-3", {"OK LOGIN dora tok"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kLoggedIn);
  EXPECT_TRUE(w.prompter.done());
  EXPECT_TRUE(Has(w.out.All(), "the two passwords differ"));
  EXPECT_TRUE(Has(w.out.All(), "* account dora created"));
}

TEST(LoginTest, ShowsAGeneratedPasswordOnceAndUsesIt) {
  FakeWorld w({"dora", "typed", "y"});
  w.server.Expect("LOGIN dora :typed", {"ERR LOGIN NO_SUCH_USER :no"});
  w.server.Expect("REGISTER dora", {"OK REGISTER dora Gen3rated-pw"});
  w.server.Expect("LOGIN dora :Gen3rated-pw", {"OK LOGIN dora tok"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kLoggedIn);
  const std::string all = w.out.All();
  EXPECT_TRUE(Has(all, "\n    Gen3rated-pw\n"));
  EXPECT_TRUE(Has(all, "shown only this once"));
  EXPECT_EQ(all.find("Gen3rated-pw"), all.rfind("Gen3rated-pw"));
}

TEST(LoginTest, EmailServersGetAnAddressCheckedFirst) {
  FakeWorld w({"dora", "typed", "y", "dora-at-home", "dora@example.org"});
  w.server.Expect("LOGIN dora :typed", {"ERR LOGIN NO_SUCH_USER :no"});
  w.server.Expect("REGISTER dora", {"ERR REGISTER DOMAIN_NOT_ALLOWED :no"});
  w.server.Expect("REGISTER dora@example.org", {"OK REGISTER dora@example.org S3cret-made"});
  w.server.Expect("LOGIN dora@example.org :S3cret-made", {"OK LOGIN dora@example.org tok"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kLoggedIn);
  EXPECT_TRUE(Has(w.out.All(), "'dora-at-home' does not look like an e-mail address"));
  EXPECT_EQ(w.ctx.account.name, "dora@example.org");
}

TEST(LoginTest, DecliningRegistrationAsksTheNameAgain) {
  FakeWorld w({"dora", "typed", "n", "alice", "pw"});
  w.server.Expect("LOGIN dora :typed", {"ERR LOGIN NO_SUCH_USER :no"});
  w.server.Expect("LOGIN alice :pw", {"OK LOGIN alice tok"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kLoggedIn);
}

TEST(LoginTest, ClosedRegistrationIsSaidPlainly) {
  FakeWorld w({"dora", "typed", "y"});
  w.server.Expect("LOGIN dora :typed", {"ERR LOGIN NO_SUCH_USER :no"});
  w.server.Expect("REGISTER dora", {"ERR REGISTER REGISTRATION_CLOSED :closed"});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kGaveUp);
  EXPECT_TRUE(Has(w.out.All(), "this server does not take new accounts"));
}

TEST(LoginTest, ALostConnectionIsReported) {
  FakeWorld w({"alice", "pw"});
  w.server.Expect("LOGIN alice :pw", {});
  EXPECT_EQ(LogIn(w.ctx), LoginResult::kLost);
}

TEST(EmailTest, LooksLikeEmail) {
  for (const char* good : {"a@b.co", "first.last+tag@mail.example.org"}) {
    EXPECT_TRUE(LooksLikeEmail(good)) << good;
  }
  for (const char* bad : {"", "alice", "@b.co", "a@", "a@b", "a@.b.co", "a@b.co.", "a@b..co",
                          "a@b@c.co", "a b@c.co"}) {
    EXPECT_FALSE(LooksLikeEmail(bad)) << bad;
  }
}

}  // namespace
}  // namespace caucus::client
