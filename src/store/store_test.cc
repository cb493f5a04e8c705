// The Store contract (store.h), one suite run against each implementation:
// SQLite, and PostgreSQL when it is installed (see testing/temp_postgres.h).
#include "store/store.h"

#include <gtest/gtest.h>

#include "store/await.h"
#include "store/testing/test_store.h"

namespace caucus::store {
namespace {

using testing::StoreKind;
using testing::TestStore;

template <class T, class Fn>
Result<T> Call(TestStore& t, Fn&& call) {
  Result<T> out;
  call([&](Result<T> r) { out = std::move(r); });
  t.Pump();
  return out;
}

class StoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    std::string skip;
    store_ = TestStore::Open(GetParam(), &skip);
    if (!store_) GTEST_SKIP() << skip;
  }
  TestStore& store() { return *store_; }

 private:
  std::unique_ptr<TestStore> store_;
};

TEST_P(StoreTest, AccountNamesAreUniqueWithoutRegardToCase) {
  TestStore& t = store();
  auto a = Call<AccountId>(t, [&](auto d) {
    t.store().CreateAccount({"Alice", "h1", false, 1}, d);
  });
  ASSERT_TRUE(a.ok());
  auto b = Call<AccountId>(t, [&](auto d) {
    t.store().CreateAccount({"ALICE", "h2", false, 2}, d);
  });
  EXPECT_TRUE(b.status().conflict());
  auto all = Call<std::vector<AccountRecord>>(t, [&](auto d) { t.store().LoadAccounts(d); });
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].name, "Alice");
}

TEST_P(StoreTest, TokensExpireAndDieWithAPasswordChange) {
  TestStore& t = store();
  auto id = *Call<AccountId>(t, [&](auto d) { t.store().CreateAccount({"a", "h", false, 1}, d); });
  const std::string h1(32, 'x'), h2(32, 'y');
  Call<Done>(t, [&](auto d) {
    t.store().GrantToken({id, h1, 100, 1000}, {id, 100, "::1", "login"}, d);
  });
  Call<Done>(t, [&](auto d) {
    t.store().GrantToken({id, h2, 100, 5000}, {id, 100, "::1", "login"}, d);
  });
  EXPECT_EQ(*Call<AccountId>(t, [&](auto d) { t.store().FindToken(h1, 999, d); }), id);
  EXPECT_TRUE(
      Call<AccountId>(t, [&](auto d) { t.store().FindToken(h1, 1000, d); }).status().not_found());
  Call<Done>(t, [&](auto d) { t.store().SetPasswordHash(id, "new", true, d); });
  EXPECT_TRUE(
      Call<AccountId>(t, [&](auto d) { t.store().FindToken(h2, 200, d); }).status().not_found());
  EXPECT_EQ(*Call<std::string>(t, [&](auto d) { t.store().PasswordHash(id, d); }), "new");
}

TEST_P(StoreTest, GroupCommitSharesTransactionsAndKeepsOrder) {
  TestStore& t = store();
  auto id = *Call<AccountId>(t, [&](auto d) { t.store().CreateAccount({"a", "h", false, 1}, d); });
  const auto before = t.store().stats();
  constexpr int kWrites = 2000;
  std::vector<int> order;
  for (int i = 0; i < kWrites; ++i) {
    t.store().AppendMessage({i + 1, i, id, id, "m"}, true, [&order, i](Result<Done> r) {
      ASSERT_TRUE(r.ok());
      order.push_back(i);
    });
  }
  t.Pump();
  const auto after = t.store().stats();
  ASSERT_EQ(order.size(), static_cast<size_t>(kWrites));
  for (int i = 0; i < kWrites; ++i) EXPECT_EQ(order[i], i);
  EXPECT_EQ(after.jobs - before.jobs, static_cast<uint64_t>(kWrites));
  EXPECT_LT(after.commits - before.commits, static_cast<uint64_t>(kWrites))
      << "writes waiting together share a commit";
  auto queued = Call<std::vector<MessageRecord>>(t, [&](auto d) { t.store().TakeQueued(id, d); });
  ASSERT_EQ(queued->size(), static_cast<size_t>(kWrites));
  EXPECT_EQ(queued->front().id, 1);
  EXPECT_EQ(queued->back().id, kWrites);
}

TEST_P(StoreTest, AccountsSayWhetherStoredMessagesWaitForThem) {
  TestStore& t = store();
  auto a = *Call<AccountId>(t, [&](auto d) { t.store().CreateAccount({"a", "h", false, 1}, d); });
  auto b = *Call<AccountId>(t, [&](auto d) { t.store().CreateAccount({"b", "h", false, 1}, d); });
  const auto has_queued = [&](AccountId id) {
    auto all = Call<std::vector<AccountRecord>>(t, [&](auto d) { t.store().LoadAccounts(d); });
    for (const auto& r : *all) {
      if (r.id == id) return r.has_queued;
    }
    ADD_FAILURE() << "no account " << id;
    return false;
  };
  Call<Done>(t, [&](auto d) { t.store().AppendMessage({1, 1, a, b, "logged"}, false, d); });
  EXPECT_FALSE(has_queued(b)) << "a message only logged waits for nobody";
  Call<Done>(t, [&](auto d) { t.store().AppendMessage({2, 2, a, b, "kept"}, true, d); });
  Call<Done>(t, [&](auto d) { t.store().AppendMessage({3, 3, a, b, "kept"}, true, d); });
  EXPECT_TRUE(has_queued(b));
  EXPECT_FALSE(has_queued(a));
  auto one = *Call<AccountRecord>(t, [&](auto d) { t.store().LoadAccount(b, d); });
  EXPECT_TRUE(one.has_queued);
  Call<Done>(t, [&](auto d) { t.store().AckQueued(b, {2}, d); });
  EXPECT_TRUE(has_queued(b)) << "one of two still waits";
  Call<Done>(t, [&](auto d) { t.store().AckQueued(b, {3}, d); });
  EXPECT_FALSE(has_queued(b));
}

TEST_P(StoreTest, AFailedJobLeavesTheOthersOfItsGroupIntact) {
  TestStore& t = store();
  std::vector<Status> results;
  for (const char* name : {"one", "ONE", "two"}) {
    t.store().CreateAccount({name, "h", false, 1},
                            [&](Result<AccountId> r) { results.push_back(r.status()); });
  }
  t.Pump();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(results[1].conflict());
  EXPECT_TRUE(results[2].ok());
}

TEST_P(StoreTest, BoardNumbersAreNeverReused) {
  TestStore& t = store();
  auto n1 = *Call<int64_t>(t, [&](auto d) { t.store().CreatePost(1, 10, "a", d); });
  auto n2 = *Call<int64_t>(t, [&](auto d) { t.store().CreatePost(1, 20, "b", d); });
  EXPECT_EQ(*Call<PostCheck>(t, [&](auto d) { t.store().DeletePost(n2, 2, false, d); }),
            PostCheck::kNotAuthor);
  EXPECT_EQ(*Call<PostCheck>(t, [&](auto d) { t.store().DeletePost(n2, 1, false, d); }),
            PostCheck::kOk);
  auto n3 = *Call<int64_t>(t, [&](auto d) { t.store().CreatePost(1, 30, "c", d); });
  EXPECT_GT(n3, n2);
  EXPECT_EQ(*Call<PostCheck>(t, [&](auto d) { t.store().EditPost(n1, 1, 40, "a2", d); }),
            PostCheck::kOk);
  auto since = *Call<std::vector<PostRecord>>(t, [&](auto d) { t.store().ReadPosts(25, d); });
  ASSERT_EQ(since.size(), 2u);
  EXPECT_EQ(since[0].number, n1);  // edited after 25
  EXPECT_EQ(since[0].edited_ms, 40);
  EXPECT_EQ(since[1].number, n3);
}

// A poll of two options, A and B, open unless told otherwise.
PollRecord TwoOptionPoll(const char* flags, PollState state = PollState::kOpen) {
  PollRecord p;
  p.title = "t";
  p.flags = flags;
  p.options = {"A", "B"};
  p.state = state;
  return p;
}

TEST_P(StoreTest, BallotsAndMarksAreOneTransaction) {
  TestStore& t = store();
  const PollRecord p = TwoOptionPoll("-");
  auto id = *Call<std::string>(t, [&](auto d) { t.store().CreatePoll(p, d); });
  EXPECT_EQ(id, "p1");
  Ballot b{id, 7, "receipt-1", {2}, {}, {}, {}};
  EXPECT_TRUE(Call<Done>(t, [&](auto d) { t.store().CastBallot(b, d); }).ok());
  Ballot again{id, 7, "receipt-2", {1}, {}, {}, {}};
  EXPECT_TRUE(Call<Done>(t, [&](auto d) { t.store().CastBallot(again, d); }).status().conflict());
  auto tally = *Call<Tallies>(t, [&](auto d) { t.store().Tally(id, 2, d); });
  EXPECT_EQ(tally.votes, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(tally.ballots, 1);
  EXPECT_TRUE(Call<std::vector<int>>(t, [&](auto d) { t.store().FindBallot(id, "receipt-2", d); })
                  .status()
                  .not_found())
      << "the refused ballot left nothing behind";
}

TEST_P(StoreTest, ABallotForAPollAnotherProcessClosedIsRefusedAndLeavesNothing) {
  // This process still believes the poll open; another (a second node,
  // `caucusd poll close`) has closed it in the store.
  TestStore& t = store();
  PollRecord p = TwoOptionPoll("revote");
  p.id = *Call<std::string>(t, [&](auto d) { t.store().CreatePoll(p, d); });
  EXPECT_TRUE(Call<Done>(t, [&](auto d) {
                t.store().CastBallot({p.id, 7, "before", {1}, {}, {}, {}}, d);
              }).ok());
  auto other = t.OpenAgain("other");
  ASSERT_TRUE(other.ok()) << other.status().message();
  p.state = PollState::kClosed;
  ASSERT_TRUE(Await<Done>([&](auto d) { (*other)->SavePollState(p, d); }).ok());

  const auto late = Call<Done>(t, [&](auto d) {
    t.store().CastBallot({p.id, 8, "late", {2}, {}, {}, {}}, d);
  });
  EXPECT_TRUE(late.status().not_found()) << late.status().message();
  // A second ballot of a revote poll, replacing the first: refused too.
  const auto replacing = Call<Done>(t, [&](auto d) {
    t.store().CastBallot({p.id, 7, "again", {2}, "before", {}, {}}, d);
  });
  EXPECT_TRUE(replacing.status().not_found()) << replacing.status().message();
  // And an upcoming poll takes no ballot either.
  PollRecord upcoming = TwoOptionPoll("revote", PollState::kUpcoming);
  upcoming.id = *Call<std::string>(t, [&](auto d) { t.store().CreatePoll(upcoming, d); });
  EXPECT_TRUE(Call<Done>(t,
                         [&](auto d) {
                           t.store().CastBallot({upcoming.id, 7, "early", {1}, {}, {}, {}}, d);
                         })
                  .status()
                  .not_found());

  auto tally = *Call<Tallies>(t, [&](auto d) { t.store().Tally(p.id, 2, d); });
  EXPECT_EQ(tally.votes, (std::vector<int64_t>{1, 0})) << "only the ballot before the close";
  EXPECT_EQ(tally.ballots, 1);
  auto poll = *Call<PollRecord>(t, [&](auto d) { t.store().LoadPoll(p.id, d); });
  EXPECT_EQ(poll.voted, (std::vector<AccountId>{7})) << "no mark for the refused ballots";
}

TEST_P(StoreTest, ReopensWithItsData) {
  TestStore& t = store();
  Call<AccountId>(t, [&](auto d) { t.store().CreateAccount({"kept", "h", true, 1}, d); });
  auto second = t.OpenAgain("other");
  ASSERT_TRUE(second.ok()) << second.status().message();
  auto all = Await<std::vector<AccountRecord>>([&](auto d) { (*second)->LoadAccounts(d); });
  ASSERT_EQ(all->size(), 1u);
  EXPECT_TRUE((*all)[0].admin);
  auto changes = Await<std::vector<Change>>([&](auto d) { (*second)->ChangesSince(0, d); });
  ASSERT_FALSE(changes->empty());
  EXPECT_EQ(changes->back().origin, "test");
}

TEST_P(StoreTest, NodesSeeEachOthersBeatsAndARestartOrALeave) {
  TestStore& t = store();
  auto beat = [&](const std::string& node, const std::string& inc) {
    return *Call<Beats>(t, [&](auto d) { t.store().Beat(node, inc, d); });
  };
  auto first = beat("n1", "a");
  EXPECT_EQ(first.own_age_ms, -1) << "no earlier beat";
  EXPECT_TRUE(first.others.empty());
  beat("n2", "b");
  auto again = beat("n1", "a");
  EXPECT_GE(again.own_age_ms, 0);
  EXPECT_LT(again.own_age_ms, 60'000);
  ASSERT_EQ(again.others.size(), 1u);
  EXPECT_EQ(again.others[0].node, "n2");
  EXPECT_EQ(again.others[0].incarnation, "b");
  EXPECT_GE(again.others[0].age_ms, 0);

  // n2 restarts: a new incarnation replaces the old, whose own age is gone.
  EXPECT_EQ(beat("n2", "c").own_age_ms, -1);
  auto seen = beat("n1", "a");
  ASSERT_EQ(seen.others.size(), 1u);
  EXPECT_EQ(seen.others[0].incarnation, "c");

  // n2 stops cleanly; a stale incarnation's leave removes nothing.
  EXPECT_TRUE(Call<Done>(t, [&](auto d) { t.store().Leave("n1", "stale", d); }).ok());
  EXPECT_GE(beat("n1", "a").own_age_ms, 0);
  EXPECT_TRUE(Call<Done>(t, [&](auto d) { t.store().Leave("n2", "c", d); }).ok());
  EXPECT_TRUE(beat("n1", "a").others.empty());
}

INSTANTIATE_TEST_SUITE_P(BothStores, StoreTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres),
                         [](const auto& info) { return testing::KindName(info.param); });

TEST(PollSeqTest, ParsesIds) {
  EXPECT_EQ(PollSeq("p1"), 1);
  EXPECT_EQ(PollSeq("p123"), 123);
  for (const char* bad : {"", "p", "1", "q1", "p1x", "p-1", "p12345678901234567890"}) {
    EXPECT_EQ(PollSeq(bad), -1) << bad;
  }
}

}  // namespace
}  // namespace caucus::store
