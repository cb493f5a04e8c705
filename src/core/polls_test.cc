// Polls on a real store and key vault: the state machine (upcoming, open,
// closed) by hand and by timers, options, voter rolls, one ballot per
// account, revotes and their key, hidden results, passwords and receipts.
#include "core/polls.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/testing/domain_fixture.h"
#include "protocol/wire_time.h"

namespace caucus::core {
namespace {

using store::PollState;
using testing::Conn;
using testing::Describe;
using testing::Domain;
using testing::kPassword;
using testing::kStartMs;

constexpr const char* kOperator = "operator";

// ------------------------------------------------------------------ helpers

Outcome<std::string> Create(Domain& d, const std::string& opens, const std::string& closes,
                            const std::string& flags, const std::string& title = "Lunch?") {
  return d.Run<std::string>([&](Reply<std::string> done) {
    d.polls().Create(kOperator, opens, closes, flags, title, done);
  });
}

Outcome<int> AddOption(Domain& d, const std::string& id, const std::string& label) {
  return d.Run<int>([&](Reply<int> done) { d.polls().AddOption(kOperator, id, label, done); });
}

Outcome<int64_t> AddToRoll(Domain& d, const std::string& id, std::vector<std::string> names) {
  return d.Run<int64_t>(
      [&](Reply<int64_t> done) { d.polls().AddToRoll(kOperator, id, names, done); });
}

Outcome<TimeMs> Open(Domain& d, const std::string& id) {
  return d.Run<TimeMs>([&](Reply<TimeMs> done) { d.polls().Open(kOperator, id, done); });
}

Outcome<int64_t> Close(Domain& d, const std::string& id) {
  return d.Run<int64_t>([&](Reply<int64_t> done) { d.polls().Close(kOperator, id, done); });
}

Outcome<Ok> Delete(Domain& d, const std::string& id) {
  return d.Run<Ok>([&](Reply<Ok> done) { d.polls().Delete(kOperator, id, done); });
}

Outcome<std::string> Vote(Domain& d, Conn& c, const std::string& id, const std::string& choice,
                          std::optional<std::string> password = std::nullopt) {
  return d.Run<std::string>(
      [&](Reply<std::string> done) { d.polls().Vote(c.session, id, choice, password, done); });
}

Outcome<Polls::Results> Results(Domain& d, Conn& c, const std::string& id,
                                std::optional<std::string> password = std::nullopt) {
  return d.Run<Polls::Results>(
      [&](Reply<Polls::Results> done) { d.polls().GetResults(c.session, id, password, done); });
}

Outcome<std::vector<int>> Verify(Domain& d, Conn& c, const std::string& id,
                                 const std::string& receipt) {
  return d.Run<std::vector<int>>(
      [&](Reply<std::vector<int>> done) { d.polls().Verify(c.session, id, receipt, done); });
}

PollState StateOf(Domain& d, Conn& c, const std::string& id) {
  auto info = d.polls().Info(*c.session, id);
  EXPECT_TRUE(info.ok()) << Describe(info);
  return info.ok() ? info->summary.state : PollState::kUpcoming;
}

// An upcoming poll with the options yes and no; answers its id.
std::string WithOptions(Domain& d, const std::string& opens, const std::string& closes,
                        const std::string& flags = "-") {
  auto id = Create(d, opens, closes, flags);
  EXPECT_EQ(Describe(id), "OK");
  if (!id.ok()) return "p0";
  EXPECT_EQ(Describe(AddOption(d, id.value(), "yes")), "OK");
  EXPECT_EQ(Describe(AddOption(d, id.value(), "no")), "OK");
  return id.value();
}

// A poll with `flags` and the options yes and no, opened now; answers its id.
std::string OpenPoll(Domain& d, const std::string& flags = "-",
                     const std::string& closes = "+3600") {
  const std::string id = WithOptions(d, "-", closes, flags);
  EXPECT_EQ(Describe(Open(d, id)), "OK");
  return id;
}

std::string PollEvent(const std::string& id, const char* what, TimeMs when,
                      const std::string& title = "Lunch?") {
  return "POLL " + id + " " + what + " " + protocol::FormatTime(when) + " :" + title;
}

std::string KeyFile(Domain& d, const std::string& id) { return d.dir() + "/keys/" + id + ".key"; }

// ------------------------------------------------------------------ creation and options

TEST(PollsTest, CreateChecksItsParameters) {
  Config c;
  c.max_text = 10;
  Domain d(c);
  const std::string past = protocol::FormatTime(kStartMs - 1000);
  const std::string soon = protocol::FormatTime(kStartMs + 60'000);
  const std::string later = protocol::FormatTime(kStartMs + 120'000);
  EXPECT_EQ(Describe(Create(d, "-", "+60", "bogus")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Create(d, "-", "+0", "-")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Create(d, "-", past, "-")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Create(d, past, "+60", "-")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Create(d, later, soon, "-")), "BAD_ARGUMENTS") << "closes before it opens";
  EXPECT_EQ(Describe(Create(d, "-", "+60", "-", "")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Create(d, "-", "+60", "-", "12345678901")), "TOO_LONG");

  auto first = Create(d, soon, later, "live,roll");
  ASSERT_EQ(Describe(first), "OK");
  EXPECT_EQ(first.value(), "p1");
  EXPECT_EQ(Create(d, "-", "+60", "-").value(), "p2");
  Conn& viewer = d.LoggedIn("alice");
  auto info = d.polls().Info(*viewer.session, "p1");
  ASSERT_EQ(Describe(info), "OK");
  EXPECT_EQ(info->summary.state, PollState::kUpcoming);
  EXPECT_EQ(info->summary.opens, kStartMs + 60'000);
  EXPECT_EQ(info->summary.closes, kStartMs + 120'000);
  EXPECT_TRUE(info->options.empty());
  EXPECT_EQ(Describe(d.polls().Info(*viewer.session, "p9")), "NO_SUCH_POLL");
}

TEST(PollsTest, OptionLimits) {
  Config c;
  c.max_text = 10;
  Domain d(c);
  const std::string id = Create(d, "-", "+3600", "-").value();
  EXPECT_EQ(Describe(Open(d, id)), "TOO_FEW_OPTIONS");
  EXPECT_EQ(AddOption(d, id, "first").value(), 1);
  EXPECT_EQ(Describe(Open(d, id)), "TOO_FEW_OPTIONS");
  EXPECT_EQ(Describe(AddOption(d, id, "")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(AddOption(d, id, "12345678901")), "TOO_LONG");
  EXPECT_EQ(Describe(AddOption(d, "p9", "x")), "NO_SUCH_POLL");
  for (int n = 2; n <= 50; ++n) {
    auto added = AddOption(d, id, "o" + std::to_string(n));
    ASSERT_EQ(Describe(added), "OK") << n;
    EXPECT_EQ(added.value(), n);
  }
  EXPECT_EQ(Describe(AddOption(d, id, "one more")), "TOO_MANY_OPTIONS");
  Conn& alice = d.LoggedIn("alice");
  EXPECT_EQ(d.polls().Info(*alice.session, id)->options.size(), 50u);
  EXPECT_EQ(Describe(Open(d, id)), "OK");
}

// ------------------------------------------------------------------ the state machine

TEST(PollsTest, OpenAndCloseByHand) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id = WithOptions(d, "-", "+3600", "-");
  EXPECT_EQ(Describe(Close(d, id)), "NOT_OPEN");
  EXPECT_EQ(Describe(Vote(d, alice, id, "1")), "NOT_OPEN");
  EXPECT_EQ(Describe(Open(d, "p9")), "NO_SUCH_POLL");
  EXPECT_EQ(d.polls().Info(*alice.session, id)->summary.closes, 0) << "not known until it opens";
  alice.peer.Take();

  d.Advance(1000);
  auto opened = Open(d, id);
  ASSERT_EQ(Describe(opened), "OK");
  EXPECT_EQ(opened.value(), kStartMs + 1000 + 3'600'000) << "+3600 counts from the opening";
  EXPECT_EQ(alice.peer.Take(), std::vector<std::string>{PollEvent(id, "open", kStartMs + 1000)});
  EXPECT_EQ(StateOf(d, alice, id), PollState::kOpen);
  EXPECT_EQ(Describe(Open(d, id)), "ALREADY_OPEN");
  EXPECT_EQ(Describe(AddOption(d, id, "maybe")), "ALREADY_OPEN");
  EXPECT_EQ(Describe(Delete(d, id)), "ALREADY_OPEN");
  EXPECT_EQ(d.scheduler().pending(), 1u) << "the closing timer";

  ASSERT_EQ(Describe(Vote(d, alice, id, "1")), "OK");
  d.Advance(1000);
  auto closed = Close(d, id);
  ASSERT_EQ(Describe(closed), "OK");
  EXPECT_EQ(closed.value(), 1) << "one ballot";
  EXPECT_EQ(alice.peer.Take(), std::vector<std::string>{PollEvent(id, "closed", kStartMs + 2000)});
  EXPECT_EQ(d.scheduler().pending(), 0u) << "the closing timer is cancelled";

  EXPECT_EQ(StateOf(d, alice, id), PollState::kClosed);
  EXPECT_EQ(Describe(Open(d, id)), "CLOSED");
  EXPECT_EQ(Describe(Close(d, id)), "CLOSED");
  EXPECT_EQ(Describe(AddOption(d, id, "maybe")), "CLOSED");
  EXPECT_EQ(Describe(AddToRoll(d, id, {"alice"})), "CLOSED");
  EXPECT_EQ(Describe(Vote(d, alice, id, "2")), "CLOSED");
  EXPECT_EQ(Describe(Delete(d, id)), "CLOSED");
}

TEST(PollsTest, TimersOpenAndCloseAtTheirTimes) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const TimeMs opens = kStartMs + 60'000;
  const std::string id = WithOptions(d, protocol::FormatTime(opens), "+30", "-");
  EXPECT_EQ(d.polls().Info(*alice.session, id)->summary.closes, opens + 30'000)
      << "known once the opening time is";

  d.Advance(59'999);
  EXPECT_EQ(StateOf(d, alice, id), PollState::kUpcoming);
  d.Advance(1);
  EXPECT_EQ(StateOf(d, alice, id), PollState::kOpen);
  EXPECT_EQ(alice.peer.Take(), std::vector<std::string>{PollEvent(id, "open", opens)});
  ASSERT_EQ(Describe(Vote(d, alice, id, "2")), "OK");

  d.Advance(29'999);
  EXPECT_EQ(StateOf(d, alice, id), PollState::kOpen);
  d.Advance(1);
  EXPECT_EQ(StateOf(d, alice, id), PollState::kClosed);
  EXPECT_EQ(alice.peer.Take(), std::vector<std::string>{PollEvent(id, "closed", opens + 30'000)});
  auto results = Results(d, alice, id);
  ASSERT_EQ(Describe(results), "OK");
  EXPECT_EQ(results->votes, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(d.scheduler().pending(), 0u);
}

TEST(PollsTest, AScheduledPollWithoutTwoOptionsDoesNotOpen) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id = Create(d, protocol::FormatTime(kStartMs + 60'000),
                                protocol::FormatTime(kStartMs + 120'000), "-")
                             .value();
  ASSERT_EQ(Describe(AddOption(d, id, "only")), "OK");
  alice.peer.Take();
  d.Advance(60'000);
  EXPECT_EQ(StateOf(d, alice, id), PollState::kUpcoming);
  d.Advance(60'000);
  EXPECT_EQ(StateOf(d, alice, id), PollState::kClosed) << "its closing time has passed";
  EXPECT_TRUE(alice.peer.lines.empty()) << "a poll that never opened is not announced";
}

TEST(PollsTest, OpeningAfterTheClosingTimeCloses) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id = WithOptions(d, "-", protocol::FormatTime(kStartMs + 10'000), "-");
  alice.peer.Take();
  // The loop is late: the closing time passes before its timer runs.
  d.clock().now += 20'000;
  EXPECT_EQ(Describe(Open(d, id)), "CLOSED");
  EXPECT_EQ(StateOf(d, alice, id), PollState::kClosed);
  EXPECT_EQ(d.polls().Info(*alice.session, id)->summary.closes, kStartMs + 10'000);
  EXPECT_EQ(d.scheduler().pending(), 0u);
  EXPECT_EQ(d.scheduler().FireDue(d.clock().now), 0);
  EXPECT_TRUE(alice.peer.lines.empty()) << "it was never open";
}

TEST(PollsTest, DeleteAnUpcomingPoll) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id =
      Create(d, protocol::FormatTime(kStartMs + 60'000), "+60", "revote").value();
  EXPECT_TRUE(std::filesystem::exists(KeyFile(d, id)));
  EXPECT_EQ(d.scheduler().pending(), 1u);
  ASSERT_EQ(Describe(Delete(d, id)), "OK");
  EXPECT_EQ(Describe(d.polls().Info(*alice.session, id)), "NO_SUCH_POLL");
  EXPECT_EQ(Describe(Delete(d, id)), "NO_SUCH_POLL");
  EXPECT_EQ(d.scheduler().pending(), 0u);
  EXPECT_FALSE(std::filesystem::exists(KeyFile(d, id)));
}

TEST(PollsTest, APollOpenedAndClosedElsewhereIsReloaded) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id = WithOptions(d, "-", "+60", "revote");
  alice.peer.Take();

  // Another process (the command line) opens it in the store.
  store::Result<store::PollRecord> record;
  d.store().LoadPoll(id, [&](auto r) { record = std::move(r); });
  d.Pump();
  ASSERT_TRUE(record.ok());
  record->state = PollState::kOpen;
  record->opens_ms = kStartMs;
  record->closes_ms = kStartMs + 60'000;
  d.store().SavePollState(*record, nullptr);
  d.Pump();
  d.polls().Reload(id, [] {});
  d.Pump();
  EXPECT_EQ(StateOf(d, alice, id), PollState::kOpen);
  EXPECT_EQ(alice.peer.Take(), std::vector<std::string>{PollEvent(id, "open", kStartMs)});
  ASSERT_EQ(Describe(Vote(d, alice, id, "1")), "OK");

  d.clock().now += 1000;
  record->state = PollState::kClosed;
  record->closes_ms = d.clock().now;
  d.store().SavePollState(*record, nullptr);
  d.Pump();
  d.polls().Reload(id, [] {});
  d.Pump();
  EXPECT_EQ(StateOf(d, alice, id), PollState::kClosed);
  EXPECT_EQ(alice.peer.Take(), std::vector<std::string>{PollEvent(id, "closed", kStartMs + 1000)});
  EXPECT_FALSE(std::filesystem::exists(KeyFile(d, id))) << "the revote key goes with the close";
  EXPECT_EQ(d.scheduler().pending(), 0u) << "the closing timer went with the reload";
}

// ------------------------------------------------------------------ voting

TEST(PollsTest, VoteChecksAndOneBallotPerAccount) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  Conn& bob = d.LoggedIn("bob");
  const std::string id = OpenPoll(d);
  EXPECT_EQ(Describe(Vote(d, alice, "p9", "1")), "NO_SUCH_POLL");
  EXPECT_EQ(Describe(Vote(d, alice, id, "3")), "NO_SUCH_OPTION");
  for (const char* bad : {"0", "x", "", "1,2", "1,1"}) {
    EXPECT_EQ(Describe(Vote(d, alice, id, bad)), "BAD_ARGUMENTS") << bad;
  }
  auto receipt = Vote(d, alice, id, "2");
  ASSERT_EQ(Describe(receipt), "OK");
  EXPECT_EQ(receipt.value().size(), 32u);
  EXPECT_EQ(Describe(Vote(d, alice, id, "1")), "ALREADY_VOTED");

  auto list = d.polls().List(*alice.session);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].voted);
  EXPECT_FALSE(d.polls().List(*bob.session)[0].voted);

  ASSERT_EQ(Describe(Vote(d, bob, id, "2")), "OK");
  EXPECT_EQ(Close(d, id).value(), 2);
  auto results = Results(d, bob, id);
  ASSERT_EQ(Describe(results), "OK");
  EXPECT_EQ(results->options, (std::vector<std::string>{"yes", "no"}));
  EXPECT_EQ(results->votes, (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(results->ballots, 2);
  EXPECT_EQ(results->eligible, 2) << "every account";
}

TEST(PollsTest, TwoBallotsAtOnceCountOnce) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id = OpenPoll(d);
  std::vector<std::string> answers;
  for (const char* choice : {"1", "2"}) {
    d.polls().Vote(alice.session, id, choice, std::nullopt,
                   [&](Outcome<std::string> o) { answers.push_back(Describe(o)); });
  }
  d.Pump();
  EXPECT_EQ(answers, (std::vector<std::string>{"ALREADY_VOTED", "OK"}));
}

TEST(PollsTest, MultipleChoices) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id = Create(d, "-", "+3600", "choices=3").value();
  for (const char* label : {"a", "b", "c", "d"}) ASSERT_EQ(Describe(AddOption(d, id, label)), "OK");
  ASSERT_EQ(Describe(Open(d, id)), "OK");
  EXPECT_EQ(Describe(Vote(d, alice, id, "1,2,3,4")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Vote(d, alice, id, "1,5")), "NO_SUCH_OPTION");
  auto receipt = Vote(d, alice, id, "4,1");
  ASSERT_EQ(Describe(receipt), "OK");
  auto verified = Verify(d, alice, id, receipt.value());
  ASSERT_EQ(Describe(verified), "OK");
  EXPECT_EQ(verified.value(), (std::vector<int>{1, 4}));
}

TEST(PollsTest, TheRollDecidesWhoVotesAndHearsOfIt) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  Conn& bob = d.LoggedIn("bob");
  d.Create("carol");
  alice.peer.Take();
  const std::string id = WithOptions(d, "-", "+3600", "roll");
  EXPECT_EQ(Describe(AddToRoll(d, id, {"alice", "nobody"})), "NO_SUCH_USER nobody");
  EXPECT_EQ(Describe(AddToRoll(d, "p9", {"alice"})), "NO_SUCH_POLL");
  EXPECT_EQ(AddToRoll(d, id, {"alice", "carol"}).value(), 2);
  ASSERT_EQ(Describe(Open(d, id)), "OK");
  EXPECT_EQ(alice.peer.Take(), std::vector<std::string>{PollEvent(id, "open", kStartMs)});
  EXPECT_TRUE(bob.peer.lines.empty()) << "not on the roll";

  EXPECT_EQ(Describe(Vote(d, bob, id, "1")), "NOT_ELIGIBLE");
  EXPECT_EQ(Describe(Vote(d, alice, id, "1")), "OK");
  // Added while it is open: told at once.
  EXPECT_EQ(AddToRoll(d, id, {"BOB", "alice"}).value(), 3);
  EXPECT_EQ(bob.peer.Take(), std::vector<std::string>{PollEvent(id, "open", kStartMs)});
  EXPECT_TRUE(alice.peer.lines.empty()) << "alice was on it already";
  EXPECT_EQ(Describe(Vote(d, bob, id, "2")), "OK");

  ASSERT_EQ(Describe(Close(d, id)), "OK");
  auto results = Results(d, bob, id);
  ASSERT_EQ(Describe(results), "OK");
  EXPECT_EQ(results->eligible, 3);
  EXPECT_EQ(results->ballots, 2);
}

TEST(PollsTest, ARevoteReplacesTheFirstBallotAndItsKeyDiesAtTheClose) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id = OpenPoll(d, "revote");
  EXPECT_TRUE(std::filesystem::exists(KeyFile(d, id))) << "while open";

  auto first = Vote(d, alice, id, "1");
  ASSERT_EQ(Describe(first), "OK");
  auto second = Vote(d, alice, id, "2");
  ASSERT_EQ(Describe(second), "OK");
  EXPECT_NE(first.value(), second.value());
  EXPECT_EQ(Describe(Verify(d, alice, id, first.value())), "NO_SUCH_RECEIPT") << "replaced";
  EXPECT_EQ(Verify(d, alice, id, second.value()).value(), std::vector<int>{2});

  auto closed = Close(d, id);
  ASSERT_EQ(Describe(closed), "OK");
  EXPECT_EQ(closed.value(), 1) << "one voter";
  EXPECT_FALSE(std::filesystem::exists(KeyFile(d, id))) << "gone with the close";
  auto results = Results(d, alice, id);
  ASSERT_EQ(Describe(results), "OK");
  EXPECT_EQ(results->votes, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(results->ballots, 1);
  EXPECT_EQ(Verify(d, alice, id, second.value()).value(), std::vector<int>{2})
      << "receipts still verify after the close";
}

TEST(PollsTest, ARevotePollClosedByItsTimerLosesItsKey) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id = OpenPoll(d, "revote", "+60");
  ASSERT_EQ(Describe(Vote(d, alice, id, "1")), "OK");
  ASSERT_TRUE(std::filesystem::exists(KeyFile(d, id)));
  d.Advance(60'000);
  EXPECT_EQ(StateOf(d, alice, id), PollState::kClosed);
  EXPECT_FALSE(std::filesystem::exists(KeyFile(d, id)));
}

// ------------------------------------------------------------------ results and passwords

TEST(PollsTest, ResultsAreHiddenUntilTheClose) {
  Domain d;
  Conn& bob = d.LoggedIn("bob");
  Conn& root = d.Admin();

  const std::string upcoming = Create(d, "-", "+3600", "-").value();
  EXPECT_EQ(Describe(Results(d, bob, upcoming)), "RESULTS_HIDDEN -") << "closing time unknown";

  const std::string hidden = OpenPoll(d);
  ASSERT_EQ(Describe(Vote(d, bob, hidden, "1")), "OK");
  EXPECT_EQ(Describe(Results(d, bob, hidden)),
            "RESULTS_HIDDEN " + protocol::FormatTime(kStartMs + 3'600'000));
  auto seen_by_admin = Results(d, root, hidden);
  ASSERT_EQ(Describe(seen_by_admin), "OK");
  EXPECT_EQ(seen_by_admin->votes, (std::vector<int64_t>{1, 0}));

  const std::string live = OpenPoll(d, "live");
  ASSERT_EQ(Describe(Vote(d, bob, live, "2")), "OK");
  auto live_results = Results(d, bob, live);
  ASSERT_EQ(Describe(live_results), "OK");
  EXPECT_EQ(live_results->votes, (std::vector<int64_t>{0, 1}));

  ASSERT_EQ(Describe(Close(d, hidden)), "OK");
  EXPECT_EQ(Describe(Results(d, bob, hidden)), "OK");
  EXPECT_EQ(Describe(Results(d, bob, "p9")), "NO_SUCH_POLL");
}

TEST(PollsTest, PasswordsForVotesAndResultsCountTowardsTheLockout) {
  Config c;
  c.lockout = {3, 10'000, true};
  Domain d(c);
  Conn& alice = d.LoggedIn("alice");
  const std::string id = OpenPoll(d, "vote-password,results-password");
  EXPECT_EQ(Describe(Vote(d, alice, id, "1")), "PASSWORD_REQUIRED");
  EXPECT_EQ(Describe(Vote(d, alice, id, "1", "wrong")), "AUTH_FAILED 2");
  EXPECT_EQ(Describe(Vote(d, alice, id, "1", kPassword)), "OK");
  EXPECT_EQ(Describe(Vote(d, alice, id, "1", kPassword)), "ALREADY_VOTED");
  EXPECT_EQ(Describe(Vote(d, alice, id, "1", "wrong")), "ALREADY_VOTED")
      << "refused before the password is checked: no guess is counted";
  ASSERT_EQ(Describe(Close(d, id)), "OK");

  EXPECT_EQ(Describe(Results(d, alice, id)), "PASSWORD_REQUIRED");
  EXPECT_EQ(Describe(Results(d, alice, id, "wrong")), "AUTH_FAILED 2") << "reset by the vote";
  EXPECT_EQ(Describe(Results(d, alice, id, "wrong")), "AUTH_FAILED 1");
  auto locked = Results(d, alice, id, "wrong");
  EXPECT_EQ(Describe(locked), "LOCKED 10");
  EXPECT_EQ(locked.failure().bye, protocol::Bye::kLocked);
  EXPECT_EQ(Describe(Results(d, alice, id, kPassword)), "LOCKED 10");
  d.Advance(10'000);
  EXPECT_EQ(Describe(Results(d, alice, id, kPassword)), "OK");
}

TEST(PollsTest, VerifyFindsABallotByItsReceipt) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const std::string id = OpenPoll(d);
  const std::string other = OpenPoll(d);
  auto receipt = Vote(d, alice, id, "2");
  ASSERT_EQ(Describe(receipt), "OK");
  EXPECT_EQ(Verify(d, alice, id, receipt.value()).value(), std::vector<int>{2});
  EXPECT_EQ(Describe(Verify(d, alice, other, receipt.value())), "NO_SUCH_RECEIPT")
      << "a receipt belongs to its poll";
  EXPECT_EQ(Describe(Verify(d, alice, id, std::string(32, 'a'))), "NO_SUCH_RECEIPT");
  EXPECT_EQ(Describe(Verify(d, alice, "p9", receipt.value())), "NO_SUCH_POLL");
}

}  // namespace
}  // namespace caucus::core
