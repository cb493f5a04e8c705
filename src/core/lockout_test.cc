#include "core/lockout.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "store/testing/temp_store.h"

namespace caucus::core {
namespace {

class LockoutTest : public ::testing::Test {
 protected:
  store::testing::TempStore store_;

  // Counts a failure and waits until it is saved.
  Lockout::Verdict Fail(Lockout& l, AccountId a, const std::string& addr, TimeMs now) {
    Lockout::Verdict out;
    bool saved = false;
    l.Fail(a, addr, now, [&](Lockout::Verdict v, bool ok) {
      out = v;
      saved = ok;
    });
    store_.Pump();
    EXPECT_TRUE(saved);
    return out;
  }
};

TEST_F(LockoutTest, CountsDownThenLocksForTheDuration) {
  Lockout l({3, 10'000, true}, store_.store());
  EXPECT_EQ(Fail(l, 1, "a", 1000).attempts_left, 2);
  EXPECT_EQ(Fail(l, 1, "a", 2000).attempts_left, 1);
  auto v = Fail(l, 1, "a", 3000);
  EXPECT_TRUE(v.locked);
  EXPECT_EQ(v.seconds_left, 10);
  EXPECT_EQ(l.LockedFor(1, "a", 3000), 10'000);
  EXPECT_EQ(Lockout::SecondsLeft(l.LockedFor(1, "a", 12'001)), 1);  // rounded up
  EXPECT_EQ(l.LockedFor(1, "a", 13'000), 0);
  // Once the lock has passed, the count starts again.
  EXPECT_EQ(Fail(l, 1, "a", 14'000).attempts_left, 2);
}

TEST_F(LockoutTest, AddressScopeKeepsStrangersApart) {
  Lockout l({2, 5'000, true}, store_.store());
  Fail(l, 1, "stranger", 0);
  EXPECT_TRUE(Fail(l, 1, "stranger", 0).locked);
  EXPECT_GT(l.LockedFor(1, "stranger", 1), 0);
  EXPECT_EQ(l.LockedFor(1, "owner", 1), 0);
  EXPECT_EQ(Fail(l, 1, "owner", 1).attempts_left, 1);
}

TEST_F(LockoutTest, AccountScopeCountsEveryAddress) {
  Lockout l({2, 5'000, false}, store_.store());
  Fail(l, 1, "x", 0);
  EXPECT_TRUE(Fail(l, 1, "y", 0).locked);
  EXPECT_GT(l.LockedFor(1, "z", 1), 0);
}

TEST_F(LockoutTest, SuccessResetsItsOwnKeyOnly) {
  Lockout l({3, 5'000, true}, store_.store());
  Fail(l, 1, "a", 0);
  Fail(l, 1, "b", 0);
  l.Succeed(1, "a");
  EXPECT_EQ(Fail(l, 1, "a", 1).attempts_left, 2);
  EXPECT_EQ(Fail(l, 1, "b", 1).attempts_left, 1);
}

TEST_F(LockoutTest, LocksSurviveARestart) {
  {
    Lockout l({1, 60'000, true}, store_.store());
    EXPECT_TRUE(Fail(l, 7, "a", 1000).locked);
  }
  store::Result<std::vector<store::LockoutRecord>> records;
  store_.store().LoadLockouts([&](auto r) { records = std::move(r); });
  store_.Pump();
  ASSERT_TRUE(records.ok());
  Lockout again({1, 60'000, true}, store_.store());
  again.Load(*records);
  EXPECT_EQ(again.LockedFor(7, "a", 2000), 59'000);
}

TEST_F(LockoutTest, PurgeForgetsStaleCountsButNotLocks) {
  Lockout l({3, 5'000, true}, store_.store());
  Fail(l, 1, "old", 0);
  l.Purge(100'000, 50'000);
  EXPECT_EQ(Fail(l, 1, "old", 100'001).attempts_left, 2);
}

}  // namespace
}  // namespace caucus::core
