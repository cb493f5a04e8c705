#include "client/commands/vote_flow.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "client/commands/vote_menu.h"
#include "client/fakes_for_test.h"

namespace caucus::client {
namespace {

using testing::FakeWorld;

bool Has(const std::string& all, const std::string& part) {
  return all.find(part) != std::string::npos;
}

const std::vector<std::string> kPollInfo = {
    "POLLINFO p1 open 2026-11-21T18:00:00.000Z 2026-11-21T20:00:00.000Z 0 :Lunch?",
    "OPTION p1 1 :Pizza", "OPTION p1 2 :Sushi", "OK POLLINFO p1"};

TEST(VoteTest, WithTheOption) {
  FakeWorld w;
  w.server.Expect("VOTE p1 2", {"OK VOTE p1 R1"});
  EXPECT_EQ(Vote(w.ctx, "p1", "2"), Outcome::kOk);
  EXPECT_TRUE(Has(w.out.All(), "receipt R1"));
}

TEST(VoteTest, ChoosesFromTheList) {
  FakeWorld w({"3", "x", "2"});
  w.server.Expect("POLLINFO p1", kPollInfo);
  w.server.Expect("POLLFLAGS p1", {"OK POLLFLAGS p1 -"});
  w.server.Expect("VOTE p1 2", {"OK VOTE p1 R1"});
  EXPECT_EQ(Vote(w.ctx, "p1", std::nullopt), Outcome::kOk);
  EXPECT_TRUE(Has(w.out.All(), "  2. Sushi"));
  EXPECT_TRUE(Has(w.out.All(), "type a number from 1 to 2"));
  EXPECT_EQ(w.prompter.questions().front(), "Your choice (1-2, empty to cancel): ");
}

TEST(VoteTest, AnEmptyChoiceCancels) {
  FakeWorld w({""});
  w.server.Expect("POLLINFO p1", kPollInfo);
  w.server.Expect("POLLFLAGS p1", {"OK POLLFLAGS p1 -"});
  EXPECT_EQ(Vote(w.ctx, "p1", std::nullopt), Outcome::kCancelled);
  EXPECT_TRUE(w.server.done());
}

TEST(VoteTest, SeveralChoicesWhenThePollTakesThem) {
  FakeWorld w({"1,1", "1,2,3", "1,3"});
  w.server.Expect("POLLINFO p1", {"POLLINFO p1 open - - 0 :Days?", "OPTION p1 1 :Mon",
                                  "OPTION p1 2 :Tue", "OPTION p1 3 :Fri", "OK POLLINFO p1"});
  w.server.Expect("POLLFLAGS p1", {"OK POLLFLAGS p1 live,choices=2"});
  w.server.Expect("VOTE p1 1,3", {"OK VOTE p1 R2"});
  EXPECT_EQ(Vote(w.ctx, "p1", std::nullopt), Outcome::kOk);
  EXPECT_EQ(w.prompter.questions().front(),
            "Your choices (up to 2 of 1-3, as 1,3; empty to cancel): ");
  EXPECT_TRUE(Has(w.out.All(), "type up to 2 different numbers from 1-3"));
  EXPECT_TRUE(Has(w.out.All(), "this poll takes at most 2 choices"));
}

TEST(VoteTest, AlreadyVotedIsSaidBeforeAnyChoice) {
  FakeWorld w({"1"});
  w.server.Expect("POLLINFO p1", {"POLLINFO p1 open - - 1 :Lunch?", "OPTION p1 1 :Pizza",
                                  "OPTION p1 2 :Sushi", "OK POLLINFO p1"});
  w.server.Expect("POLLFLAGS p1", {"OK POLLFLAGS p1 -"});
  EXPECT_EQ(Vote(w.ctx, "p1", std::nullopt), Outcome::kCancelled);
  EXPECT_TRUE(w.prompter.questions().empty());
  EXPECT_TRUE(Has(w.out.All(), "you have already voted in this poll"));
  // With revote, it is said, and the choice asked: the new ballot replaces it.
  FakeWorld again({"1"});
  again.server.Expect("POLLINFO p1", {"POLLINFO p1 open - - 1 :Lunch?", "OPTION p1 1 :Pizza",
                                      "OPTION p1 2 :Sushi", "OK POLLINFO p1"});
  again.server.Expect("POLLFLAGS p1", {"OK POLLFLAGS p1 revote"});
  again.server.Expect("VOTE p1 1", {"OK VOTE p1 R3"});
  EXPECT_EQ(Vote(again.ctx, "p1", std::nullopt), Outcome::kOk);
  EXPECT_TRUE(Has(again.out.All(), "a new vote replaces that ballot"));
}

TEST(VoteTest, AnOlderServerWithoutPollFlagsTakesOneChoice) {
  FakeWorld w({"2"});
  w.server.Expect("POLLINFO p1", kPollInfo);
  w.server.Expect("POLLFLAGS p1", {"ERR POLLFLAGS UNKNOWN_COMMAND :unknown"});
  w.server.Expect("VOTE p1 2", {"OK VOTE p1 R4"});
  EXPECT_EQ(Vote(w.ctx, "p1", std::nullopt), Outcome::kOk);
}

TEST(VoteTest, AsksThePasswordWhenThePollWantsIt) {
  FakeWorld w({"s3cret pw"});
  w.server.Expect("VOTE p1 1", {"ERR VOTE PASSWORD_REQUIRED :password"});
  w.server.Expect("VOTE p1 1 :s3cret pw", {"OK VOTE p1 R9"});
  EXPECT_EQ(Vote(w.ctx, "p1", "1"), Outcome::kOk);
  EXPECT_FALSE(Has(w.out.All(), "s3cret"));
}

TEST(VoteTest, AScriptGivesItsOwnPassword) {
  FakeWorld w;
  w.ctx.interactive = false;
  w.ctx.account.password = "pw";
  w.server.Expect("RESULTS p1", {"ERR RESULTS PASSWORD_REQUIRED :password"});
  w.server.Expect("RESULTS p1 :pw", {"TALLY p1 1 1 :Pizza", "OK RESULTS p1 1 3"});
  EXPECT_EQ(Results(w.ctx, "p1"), Outcome::kOk);
  EXPECT_TRUE(w.prompter.questions().empty());
}

TEST(VoteTest, WrongPasswordsCanLock) {
  FakeWorld w({"wrong"});
  w.server.Expect("VOTE p1 1", {"ERR VOTE PASSWORD_REQUIRED :password"});
  w.server.Expect("VOTE p1 1 :wrong", {"ERR VOTE LOCKED 10 :locked"});
  EXPECT_EQ(Vote(w.ctx, "p1", "1"), Outcome::kLocked);
}

TEST(VoteTest, ErrorsAreSaidPlainly) {
  FakeWorld w;
  w.server.Expect("VOTE p1 1", {"ERR VOTE ALREADY_VOTED :voted"});
  EXPECT_EQ(Vote(w.ctx, "p1", "1"), Outcome::kFailed);
  EXPECT_TRUE(Has(w.out.All(), "you have already voted in this poll"));
  EXPECT_EQ(Vote(w.ctx, "p1", "first"), Outcome::kFailed);
}

TEST(VoteTest, ReceiptsAreSaved) {
  const auto path =
      std::filesystem::temp_directory_path() / ("caucus-receipts-" + std::to_string(::getpid()));
  std::filesystem::remove(path);
  ReceiptLog log(path.string());
  FakeWorld w;
  w.ctx.receipts = &log;
  w.ctx.account.name = "alice";
  w.server.Expect("VOTE p1 2", {"OK VOTE p1 R1"});
  EXPECT_EQ(Vote(w.ctx, "p1", "2"), Outcome::kOk);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "2026-11-21T19:08:00.000Z localhost:5545 alice p1 2 R1");
  EXPECT_TRUE(Has(w.out.All(), "receipt saved in " + path.string()));
  std::filesystem::remove(path);
}

TEST(VoteTest, SeveralChoices) {
  FakeWorld w({"1,3", "2,1"});
  w.server.Expect("POLLINFO p1", kPollInfo);
  w.server.Expect("POLLFLAGS p1", {"OK POLLFLAGS p1 choices=2"});
  w.server.Expect("VOTE p1 2,1", {"OK VOTE p1 R1"});
  EXPECT_EQ(Vote(w.ctx, "p1", std::nullopt), Outcome::kOk);
  w.server.Expect("VOTE p1 1,2", {"OK VOTE p1 R2"});
  EXPECT_EQ(Vote(w.ctx, "p1", "1,2"), Outcome::kOk);
}

TEST(VoteTest, OptionLists) {
  for (const char* good : {"1", "3", "1,3", "2,1,3"}) EXPECT_TRUE(IsOptionList(good, 3)) << good;
  for (const char* bad : {"", "0", "4", "1,", ",1", "1,,2", "a", "1;2", "-1", "1,1"}) {
    EXPECT_FALSE(IsOptionList(bad, 3)) << bad;
  }
  EXPECT_TRUE(IsOptionList("99", 0));
  EXPECT_EQ(OptionCount("2,1,3", 3), 3);
  EXPECT_EQ(OptionCount("2", 3), 1);
  EXPECT_EQ(OptionCount("2,2", 3), 0);
}

TEST(VoteMenuTest, VoteThenResultsThenQuit) {
  FakeWorld w({"1", "1", "2", "2", "1", "3"});
  const std::vector<std::string> polls = {
      "POLLINFO p1 open 2026-11-21T18:00:00.000Z 2026-11-21T20:00:00.000Z 0 :Lunch?",
      "POLLINFO p0 closed 2026-11-20T18:00:00.000Z 2026-11-20T20:00:00.000Z 1 :Old", "OK POLLS 2"};
  w.server.Expect("POLLS", polls);
  w.server.Expect("POLLINFO p1", kPollInfo);
  w.server.Expect("POLLFLAGS p1", {"OK POLLFLAGS p1 -"});
  w.server.Expect("VOTE p1 2", {"OK VOTE p1 R1"});
  w.server.Expect("POLLS", polls);
  w.server.Expect("RESULTS p1",
                  {"TALLY p1 1 0 :Pizza", "TALLY p1 2 1 :Sushi", "OK RESULTS p1 1 2"});
  EXPECT_EQ(RunVoteMenu(w.ctx), Outcome::kLeave);
  EXPECT_TRUE(w.server.done());
  const std::string all = w.out.All();
  EXPECT_TRUE(Has(all, "1) vote   2) results   3) quit"));
  EXPECT_TRUE(Has(all, "  1. Lunch? (p1, open)\n"));
  EXPECT_TRUE(Has(all, "  2. Old (p0, closed, you voted)"));
  EXPECT_TRUE(Has(all, "receipt R1"));
  EXPECT_TRUE(Has(all, "Results of poll p1: 1 of 2 voters voted"));
}

TEST(VoteMenuTest, NoOpenPoll) {
  FakeWorld w({"1", "4", "3"});
  w.server.Expect("POLLS", {"OK POLLS 0"});
  EXPECT_EQ(RunVoteMenu(w.ctx), Outcome::kLeave);
  EXPECT_TRUE(Has(w.out.All(), "* no poll is open"));
  EXPECT_TRUE(Has(w.out.All(), "error: type 1, 2 or 3"));
}

TEST(VoteMenuTest, EndsWhenTheConnectionIs) {
  FakeWorld w({"2"});
  w.server.Expect("POLLS", {});
  EXPECT_EQ(RunVoteMenu(w.ctx), Outcome::kLost);
}

}  // namespace
}  // namespace caucus::client
