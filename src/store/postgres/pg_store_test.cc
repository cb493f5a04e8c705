// What only the PostgreSQL store has to prove: secrecy against its system
// columns and files, migrations shared by several processes, outages. The
// Store contract itself is tested on both stores by store_test.cc.
#include "store/postgres/pg_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "store/await.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_schema.h"
#include "store/testing/temp_postgres.h"
#include "store/testing/test_store.h"

namespace caucus::store {
namespace {

using testing::StoreKind;
using testing::TempPostgres;
using testing::TestStore;

template <class T, class Fn>
Result<T> Call(TestStore& t, Fn&& call) {
  Result<T> out;
  call([&](Result<T> r) { out = std::move(r); });
  t.Pump();
  return out;
}

// Every value of column 0 of `sql`'s rows, as text.
std::vector<std::string> Column(PgConn& conn, const char* sql) {
  std::vector<std::string> out;
  auto rows = conn.Query(sql);
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows.Text(i, 0));
  return out;
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string skip;
    store_ = TestStore::Open(StoreKind::kPostgres, &skip);
    if (!store_) GTEST_SKIP() << skip;
    inspector_ = PgConn::Open(store_->config().url);
  }
  TestStore& t() { return *store_; }
  Store& s() { return store_->store(); }
  PgConn& db() { return *inspector_; }

  std::string OpenPoll() {
    PollRecord p;
    p.title = "secret";
    p.flags = "-";
    p.options = {"A", "B", "C"};
    p.state = PollState::kOpen;
    return *Call<std::string>(t(), [&](auto d) { s().CreatePoll(p, d); });
  }

  // Each voter's ballot in a transaction of its own (one Pump each): the
  // worst case, a vote alone in its commit group.
  std::vector<std::string> VoteOneAtATime(const std::string& poll, int voters) {
    std::vector<std::string> receipts;
    for (int v = 1; v <= voters; ++v) {
      // Receipts unrelated to the voters' order, as the domain's random ones.
      std::string receipt = "r" + std::to_string((v * 7919) % 1009) + "x" + std::to_string(v);
      EXPECT_TRUE(Call<Done>(t(), [&](auto d) {
                    s().CastBallot({poll, 100 + v, receipt, {1 + v % 3}, {}, {}, {}}, d);
                  }).ok());
      receipts.push_back(receipt);
    }
    return receipts;
  }

 private:
  std::unique_ptr<TestStore> store_;
  std::unique_ptr<PgConn> inspector_;
};

TEST_F(PgStoreTest, WhileOpenTheSystemColumnsLinkAVoteAloneInItsCommit) {
  // The premise of the close's rewrite, checked so that the test after this
  // one can fail: a mark and its ballot, committed alone, share their xmin.
  const std::string poll = OpenPoll();
  VoteOneAtATime(poll, 5);
  auto linked = db().Query(
      "SELECT count(*) FROM poll_voters v JOIN ballots b ON b.xmin = v.xmin AND b.poll = v.poll");
  EXPECT_EQ(linked.Int(0, 0), 5);
}

TEST_F(PgStoreTest, AfterTheCloseNoSystemColumnOrPhysicalOrderLinksAMarkToItsBallot) {
  const std::string poll = OpenPoll();
  const auto receipts = VoteOneAtATime(poll, 24);
  const std::string before_voters = Column(db(), "SELECT pg_relation_filenode('poll_voters')")[0];
  const std::string before_ballots = Column(db(), "SELECT pg_relation_filenode('ballots')")[0];

  PollRecord closed;
  closed.id = poll;
  closed.state = PollState::kClosed;
  closed.closes_ms = 1;
  ASSERT_TRUE(Call<Done>(t(), [&](auto d) { s().SavePollState(closed, d); }).ok());

  // xmin: one transaction inserted every mark and every ballot.
  const auto voter_xmins = Column(db(), "SELECT DISTINCT xmin::text FROM poll_voters");
  const auto ballot_xmins = Column(db(), "SELECT DISTINCT xmin::text FROM ballots");
  ASSERT_EQ(voter_xmins.size(), 1u);
  ASSERT_EQ(ballot_xmins.size(), 1u);
  EXPECT_EQ(voter_xmins[0], ballot_xmins[0]);

  // ctid: the rows lie in the order of their keys, not of their arrival.
  const auto voters_by_place = Column(db(), "SELECT account_id FROM poll_voters ORDER BY ctid");
  const auto voters_by_key =
      Column(db(), "SELECT account_id FROM poll_voters ORDER BY poll, account_id");
  EXPECT_EQ(voters_by_place, voters_by_key);
  const auto ballots_by_place = Column(db(), "SELECT receipt FROM ballots ORDER BY ctid");
  auto sorted = receipts;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(ballots_by_place, sorted);
  EXPECT_NE(ballots_by_place, receipts) << "the test's receipts must not arrive sorted";

  // The files: new ones, holding only the live rows (no dead row with the
  // old xmins), every tuple with the one xmin.
  EXPECT_NE(Column(db(), "SELECT pg_relation_filenode('poll_voters')")[0], before_voters);
  EXPECT_NE(Column(db(), "SELECT pg_relation_filenode('ballots')")[0], before_ballots);
  db().Exec("CREATE EXTENSION IF NOT EXISTS pageinspect");
  for (const char* table : {"poll_voters", "ballots"}) {
    const std::string sql = std::string(
                                "SELECT DISTINCT t_xmin::text FROM generate_series(0, "
                                "pg_relation_size('") +
                            table +
                            "') / current_setting('block_size')::int - 1) AS blk, "
                            "heap_page_items(get_raw_page('" +
                            table + "', blk::int)) WHERE lp_len > 0";
    const auto tuple_xmins = Column(db(), sql.c_str());
    ASSERT_EQ(tuple_xmins.size(), 1u) << table << ": tuples of other transactions in the file";
    EXPECT_EQ(tuple_xmins[0], voter_xmins[0]);
  }
  for (const char* table : {"poll_voters", "ballots"}) {
    const std::string sql =
        std::string("SELECT count(*) FROM generate_series(0, pg_relation_size('") + table +
        "') / current_setting('block_size')::int - 1) AS blk, "
        "heap_page_items(get_raw_page('" +
        table + "', blk::int))";
    const std::string live = std::string("SELECT count(*) FROM ") + table;
    EXPECT_EQ(Column(db(), sql.c_str()), Column(db(), live.c_str()))
        << table << ": line pointers beyond the live rows";
  }

  // Columns: nothing but the poll in common, no time, no serial number.
  EXPECT_EQ(Column(db(),
                   "SELECT column_name FROM information_schema.columns WHERE table_name = "
                   "'poll_voters' ORDER BY ordinal_position"),
            (std::vector<std::string>{"poll", "account_id"}));
  EXPECT_EQ(Column(db(),
                   "SELECT column_name FROM information_schema.columns WHERE table_name = "
                   "'ballots' ORDER BY ordinal_position"),
            (std::vector<std::string>{"poll", "receipt", "choice"}));
  EXPECT_EQ(Column(db(),
                   "SELECT count(*) FROM information_schema.columns WHERE table_name IN "
                   "('poll_voters', 'ballots') AND (column_default IS NOT NULL OR is_identity = "
                   "'YES')")[0],
            "0");

  // Commit timestamps, when the server keeps them: one for all.
  if (Column(db(), "SELECT current_setting('track_commit_timestamp')")[0] == "on") {
    EXPECT_EQ(Column(db(), "SELECT count(DISTINCT pg_xact_commit_timestamp(xmin)) FROM ballots")[0],
              "1");
  }

  // And the poll still counts and verifies as before.
  auto tally = *Call<Tallies>(t(), [&](auto d) { s().Tally(poll, 3, d); });
  EXPECT_EQ(tally.ballots, 24);
  EXPECT_EQ(tally.votes, (std::vector<int64_t>{8, 8, 8}));
  EXPECT_TRUE(
      Call<std::vector<int>>(t(), [&](auto d) { s().FindBallot(poll, receipts[3], d); }).ok());
}

TEST_F(PgStoreTest, TheCloseDropsThePollsRevoteLinks) {
  const std::string poll = OpenPoll();
  Ballot b{poll, 7, "receipt-1", {1}, {}, std::string(32, 't'), std::string(40, 's')};
  ASSERT_TRUE(Call<Done>(t(), [&](auto d) { s().CastBallot(b, d); }).ok());
  auto link = Call<RevoteLink>(t(), [&](auto d) { s().FindRevoteLink(poll, b.voter_tag, d); });
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->sealed_receipt, b.sealed_receipt);
  PollRecord closed;
  closed.id = poll;
  closed.state = PollState::kClosed;
  ASSERT_TRUE(Call<Done>(t(), [&](auto d) { s().SavePollState(closed, d); }).ok());
  EXPECT_EQ(Column(db(), "SELECT count(*) FROM revote_links")[0], "0");
  EXPECT_TRUE(Call<RevoteLink>(t(), [&](auto d) { s().FindRevoteLink(poll, b.voter_tag, d); })
                  .status()
                  .not_found());
}

TEST_F(PgStoreTest, AFailureInAPipelinedGroupIsItsJobsAlone) {
  // Hold the writers' lock, so that the writes below wait in one or two
  // groups: a failure in the middle of a pipelined group sends the group
  // through its savepoints, job by job.
  auto locker = PgConn::Open(t().config().url);
  locker->Command("SELECT pg_advisory_lock($1)", PgEngine::kWriterLockKey);
  const auto before = s().stats();
  std::vector<Status> results;
  for (const char* name : {"zero", "one", "ONE", "two"}) {
    s().CreateAccount({name, "h", false, 1},
                      [&](Result<AccountId> r) { results.push_back(r.status()); });
  }
  // A job that sent a write, then answers NotFound: undone by its savepoint.
  s().SetPasswordHash(987654, "nobody's", false,
                      [&](Result<Done> r) { results.push_back(r.status()); });
  s().CreatePost(1, 5, "after the failures",
                 [&](Result<int64_t> r) { results.push_back(r.status()); });
  locker->Command("SELECT pg_advisory_unlock($1)", PgEngine::kWriterLockKey);
  t().Pump();
  ASSERT_EQ(results.size(), 6u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(results[1].ok());
  EXPECT_TRUE(results[2].conflict()) << results[2].message();
  EXPECT_TRUE(results[3].ok());
  EXPECT_TRUE(results[4].not_found());
  EXPECT_TRUE(results[5].ok());
  const auto after = s().stats();
  EXPECT_LE(after.commits - before.commits, 2u);
  EXPECT_EQ(after.jobs - before.jobs, 6u);
  EXPECT_EQ(Column(db(), "SELECT name FROM accounts ORDER BY id"),
            (std::vector<std::string>{"zero", "one", "two"}));
  EXPECT_EQ(Column(db(), "SELECT text FROM posts"),
            (std::vector<std::string>{"after the failures"}));
}

TEST_F(PgStoreTest, OnlyATransactionWithChangeFeedRowsWaitsForTheWritersLock) {
  // Another process holds the writers' lock (a node committing a change):
  // a vote, which notes no change, commits all the same; a change waits
  // for the lock, so that the feed's numbers stay in commit order.
  const std::string poll = OpenPoll();
  auto other = t().OpenAgain("other");
  ASSERT_TRUE(other.ok());
  auto locker = PgConn::Open(t().config().url);
  locker->Command("SELECT pg_advisory_lock($1)", PgEngine::kWriterLockKey);

  std::promise<Result<Done>> vote;
  (*other)->CastBallot({poll, 7, "receipt-7", {2}, {}, {}, {}},
                       [&](Result<Done> r) { vote.set_value(std::move(r)); });
  auto voted = vote.get_future();
  const bool alone = voted.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  EXPECT_TRUE(alone) << "a vote waited for the writers' lock";
  if (!alone) {
    locker->Command("SELECT pg_advisory_unlock($1)", PgEngine::kWriterLockKey);
    voted.wait();  // the callback refers to `vote`
    return;
  }
  EXPECT_TRUE(voted.get().ok());

  std::promise<Result<Done>> change;
  (*other)->NoteChange("poll", poll, [&](Result<Done> r) { change.set_value(std::move(r)); });
  auto changed = change.get_future();
  EXPECT_EQ(changed.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "a change committed without the writers' lock";
  locker->Command("SELECT pg_advisory_unlock($1)", PgEngine::kWriterLockKey);
  EXPECT_TRUE(changed.get().ok());
}

TEST_F(PgStoreTest, ANewerSchemaIsRefused) {
  db().Exec("INSERT INTO schema_version(version) VALUES(1000)");
  auto again = t().OpenAgain("newer");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("newer than this build"), std::string::npos)
      << again.status().message();
}

TEST_F(PgStoreTest, ProcessesStartingTogetherMigrateOnce) {
  std::string why;
  TempPostgres* pg = TempPostgres::Get(&why);
  ASSERT_NE(pg, nullptr) << why;
  const std::string fresh = pg->NewDatabase();
  std::vector<std::thread> starters;
  std::vector<std::string> failures(4);
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&, i] {
      auto opened = PgStore::Open(fresh, InlineExecutor(), "starter" + std::to_string(i), 1);
      if (!opened.ok()) failures[i] = opened.status().message();
    });
  }
  for (auto& th : starters) th.join();
  for (const auto& f : failures) EXPECT_EQ(f, "");
  auto conn = PgConn::Open(fresh);
  EXPECT_EQ(Column(*conn, "SELECT count(*) FROM schema_version")[0],
            std::to_string(LatestPostgresSchemaVersion()));
}

TEST_F(PgStoreTest, APollerOfTheChangeFeedMissesNoChangeOfTwoConcurrentWriters) {
  // Sequence numbers are handed out before the commit; were they not in
  // commit order, a poller could see number n+1 before n commits, move
  // past n, and never see it.
  constexpr int kEach = 300;
  std::vector<std::unique_ptr<Store>> writers;
  for (const char* origin : {"server", "cli"}) {
    auto opened = t().OpenAgain(origin);
    ASSERT_TRUE(opened.ok());
    writers.push_back(std::move(*opened));
  }
  auto poller = t().OpenAgain("poller");
  ASSERT_TRUE(poller.ok());
  std::atomic<int> writing{2};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        Await<Done>([&](auto d) { writers[w]->NoteChange("poll", std::to_string(i), d); });
      }
      --writing;
    });
  }
  std::multiset<std::pair<std::string, std::string>> seen;
  int64_t last = 0;
  const auto poll_once = [&] {
    auto r = Await<std::vector<Change>>([&](auto d) { (*poller)->ChangesSince(last, d); });
    ASSERT_TRUE(r.ok());
    for (const auto& c : *r) {
      last = std::max(last, c.seq);
      seen.insert({c.origin, c.key});
    }
  };
  while (writing > 0) poll_once();
  for (auto& th : threads) th.join();
  poll_once();
  poll_once();
  EXPECT_EQ(seen.size(), 2u * kEach) << "changes missed or seen twice";
  for (const char* origin : {"server", "cli"}) {
    for (int i = 0; i < kEach; ++i) {
      EXPECT_EQ(seen.count({origin, std::to_string(i)}), 1u) << origin << " " << i;
    }
  }
}

TEST_F(PgStoreTest, ARestartedDatabaseFailsWritesButNeverLosesAnAcknowledgedOne) {
  std::string why;
  TempPostgres* pg = TempPostgres::Get(&why);
  if (pg == nullptr || pg->pid() == 0) GTEST_SKIP() << "needs a PostgreSQL this test started";
  auto id = *Call<AccountId>(t(), [&](auto d) { s().CreateAccount({"a", "h", false, 1}, d); });
  int acknowledged = 0;
  for (int i = 1; i <= 20; ++i) {
    if (Call<Done>(t(), [&](auto d) { s().AppendMessage({i, i, id, id, "before"}, true, d); }).ok())
      ++acknowledged;
  }
  ASSERT_EQ(acknowledged, 20);
  ASSERT_TRUE(pg->RestartImmediately());

  // The first write meets the lost connection: it fails, it does not hang
  // and does not claim success; a later one reconnects.
  auto first = Call<Done>(t(), [&](auto d) { s().AppendMessage({21, 21, id, id, "x"}, true, d); });
  if (!first.ok()) {
    EXPECT_TRUE(first.status().failed());
    EXPECT_TRUE(s().stats().last_commit_failed);
  }
  Result<Done> later;
  for (int attempt = 0; attempt < 100 && !later.ok(); ++attempt) {
    later = Call<Done>(t(), [&](auto d) {
      s().AppendMessage({100 + attempt, 22, id, id, "y"}, true, d);
    });
    if (!later.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(later.ok()) << later.status().message();
  EXPECT_FALSE(s().stats().last_commit_failed);
  auto queued = *Call<std::vector<MessageRecord>>(t(), [&](auto d) { s().TakeQueued(id, d); });
  std::set<int64_t> ids;
  for (const auto& m : queued) ids.insert(m.id);
  for (int64_t i = 1; i <= 20; ++i) EXPECT_TRUE(ids.count(i)) << "acknowledged message " << i;
  // Reads reconnect too.
  EXPECT_TRUE(Call<std::vector<AccountRecord>>(t(), [&](auto d) { s().LoadAccounts(d); }).ok());
}

TEST(PgUriTest, ChecksTheSchemeAndSyntax) {
  EXPECT_EQ(CheckPostgresUri("postgresql://caucus@127.0.0.1:5432/caucus"), "");
  EXPECT_EQ(CheckPostgresUri("postgres://u:p@host/db?sslmode=require"), "");
  EXPECT_NE(CheckPostgresUri("mysql://host/db"), "");
  EXPECT_NE(CheckPostgresUri("postgresql://host/db?nosuchoption=1"), "");
  EXPECT_EQ(RedactUri("postgresql://u:secret@host/db"), "postgresql://u:***@host/db");
  EXPECT_EQ(RedactUri("postgresql://u@host:5/db"), "postgresql://u@host:5/db");
}

}  // namespace
}  // namespace caucus::store
