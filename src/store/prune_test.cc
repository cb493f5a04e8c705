// MessageStore::PruneMessages (store.h) on both stores: what a step
// deletes and keeps, how steps follow each other, what the rest of the
// message log's readers see afterwards, and where a step runs among the
// other writes.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "store/await.h"
#include "store/store.h"
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

class PruneTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    std::string skip;
    store_ = TestStore::Open(GetParam(), &skip);
    if (!store_) GTEST_SKIP() << skip;
    alice_ = *Call<AccountId>(t(), [&](auto d) { s().CreateAccount({"alice", "h", false, 1}, d); });
    bob_ = *Call<AccountId>(t(), [&](auto d) { s().CreateAccount({"bob", "h", false, 1}, d); });
  }
  TestStore& t() { return *store_; }
  Store& s() { return store_->store(); }

  void Append(int64_t id, TimeMs time_ms, bool queued, const std::string& text = "m") {
    ASSERT_TRUE(Call<Done>(t(), [&](auto d) {
                  s().AppendMessage({id, time_ms, alice_, bob_, text}, queued, d);
                }).ok());
  }
  PruneStep Prune(TimeMs before_ms, LogPosition after, int limit) {
    auto r = Call<PruneStep>(t(), [&](auto d) { s().PruneMessages(before_ms, after, limit, d); });
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : PruneStep{};
  }
  std::vector<int64_t> LogIds() {
    std::vector<int64_t> ids;
    auto log = Call<std::vector<MessageRecord>>(t(), [&](auto d) { s().MessageLog(0, 1000, d); });
    for (const auto& m : *log) ids.push_back(m.id);
    return ids;
  }
  std::vector<int64_t> HistoryIds() {
    std::vector<int64_t> ids;
    auto page = Call<std::vector<MessageRecord>>(
        t(), [&](auto d) { s().History(bob_, alice_, INT64_MAX, 1000, d); });
    for (const auto& m : *page) ids.push_back(m.id);
    return ids;
  }

  AccountId alice_ = 0;
  AccountId bob_ = 0;

 private:
  std::unique_ptr<TestStore> store_;
};

TEST_P(PruneTest, DeletesWhatIsOlderButWhatWaitsInAQueue) {
  Append(1, 100, false);
  Append(2, 110, true);  // not delivered yet
  Append(3, 120, false);
  Append(4, 200, false);  // at the cut-off: stays
  Append(5, 300, true);

  const PruneStep step = Prune(200, {}, 100);
  EXPECT_EQ(step.examined, 3);
  EXPECT_EQ(step.deleted, 2);
  EXPECT_EQ(step.last.time_ms, 120);
  EXPECT_EQ(step.last.id, 3);
  EXPECT_EQ(LogIds(), (std::vector<int64_t>{2, 4, 5}));
  EXPECT_EQ(HistoryIds(), (std::vector<int64_t>{5, 4, 2})) << "newest first";
  auto queued = Call<std::vector<MessageRecord>>(t(), [&](auto d) { s().TakeQueued(bob_, d); });
  ASSERT_EQ(queued->size(), 2u);
  EXPECT_EQ((*queued)[0].text, "m") << "a queued message keeps its text";

  // Handed over: the next pass takes it.
  ASSERT_TRUE(Call<Done>(t(), [&](auto d) { s().AckQueued(bob_, {2}, d); }).ok());
  const PruneStep again = Prune(200, {}, 100);
  EXPECT_EQ(again.examined, 1);
  EXPECT_EQ(again.deleted, 1);
  EXPECT_EQ(LogIds(), (std::vector<int64_t>{4, 5}));
}

TEST_P(PruneTest, GoesInStepsInTimeOrderFromWhereTheLastOneStopped) {
  // Ids out of time order (blocks of ids of several nodes), and ties in time.
  const std::vector<std::pair<int64_t, TimeMs>> messages = {
      {10, 50}, {3, 50}, {7, 40}, {1, 60}, {12, 60}, {2, 60}, {20, 70}, {5, 45}, {30, 500}};
  for (const auto& [id, time_ms] : messages) Append(id, time_ms, id == 12);

  std::vector<int64_t> examined;
  int64_t deleted = 0;
  LogPosition after;
  while (true) {
    const PruneStep step = Prune(100, after, 3);
    examined.push_back(step.examined);
    deleted += step.deleted;
    if (step.examined < 3) break;
    after = step.last;
  }
  EXPECT_EQ(examined, (std::vector<int64_t>{3, 3, 2}));
  EXPECT_EQ(deleted, 7) << "every message before 100 but the queued one";
  EXPECT_EQ(LogIds(), (std::vector<int64_t>{12, 30}));
}

TEST_P(PruneTest, IdsAreNotHandedOutAgainWhenTheNewestMessagesAreGone) {
  for (int64_t id = 1; id <= 5; ++id) Append(id, 100 + id, false);
  EXPECT_EQ(Prune(1000, {}, 100).deleted, 5);
  EXPECT_TRUE(LogIds().empty());
  EXPECT_EQ(*Call<int64_t>(t(), [&](auto d) { s().LastMessageId(d); }), 5);
  EXPECT_EQ(*Call<int64_t>(t(), [&](auto d) { s().ReserveMessageIds(10, d); }), 6);
  EXPECT_EQ(*Call<int64_t>(t(), [&](auto d) { s().LastMessageId(d); }), 15)
      << "reserved ids count as handed out";
}

TEST_P(PruneTest, AnEmptyLogIsOneStepThatFindsNothing) {
  const PruneStep step = Prune(1000, {}, 10);
  EXPECT_EQ(step.examined, 0);
  EXPECT_EQ(step.deleted, 0);
  EXPECT_EQ(*Call<int64_t>(t(), [&](auto d) { s().LastMessageId(d); }), 0);
}

// A step keeps its place among the writes but runs in a transaction of its
// own: the writes before it commit first, those after it wait for it.
TEST_P(PruneTest, AStepKeepsItsPlaceAmongTheWrites) {
  for (int64_t id = 1; id <= 50; ++id) Append(id, id, false);
  const auto before = s().stats();
  std::vector<std::string> order;
  for (int64_t id = 51; id <= 250; ++id) {
    s().AppendMessage({id, 10'000 + id, alice_, bob_, "new"}, false, [&order](Result<Done> r) {
      EXPECT_TRUE(r.ok());
      order.push_back("write");
    });
  }
  s().PruneMessages(1000, {}, 100, [&order](Result<PruneStep> r) {
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->deleted, 50);
    order.push_back("prune");
  });
  for (int64_t id = 251; id <= 260; ++id) {
    s().AppendMessage({id, 10'000 + id, alice_, bob_, "later"}, false,
                      [&order](Result<Done>) { order.push_back("later write"); });
  }
  t().Pump();
  ASSERT_EQ(order.size(), 211u);
  const auto prune_at = std::find(order.begin(), order.end(), "prune") - order.begin();
  EXPECT_EQ(prune_at, 200) << "the 200 writes waiting before it went first";
  EXPECT_EQ(std::count(order.begin(), order.begin() + prune_at, "write"), 200);
  const auto after = s().stats();
  EXPECT_EQ(after.jobs - before.jobs, 211u);
  EXPECT_EQ(LogIds().size(), 210u);
}

INSTANTIATE_TEST_SUITE_P(BothStores, PruneTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres),
                         [](const auto& info) { return testing::KindName(info.param); });

}  // namespace
}  // namespace caucus::store
