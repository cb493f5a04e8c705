#include "store/sqlite/sqlite_engine.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

namespace caucus::store {
namespace {

class TempDb {
 public:
  TempDb() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "caucus-engine-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp");
    dir_ = tmpl;
  }
  ~TempDb() { std::filesystem::remove_all(dir_); }
  std::string path() const { return dir_ + "/engine.db"; }

 private:
  std::string dir_;
};

// Rows in table t, read once every write submitted so far has committed.
int64_t CountRows(SqliteEngine& engine) {
  engine.Drain();
  int64_t rows = -1;
  engine.Read(
      [&](Db& d) {
        auto q = d.Query("SELECT count(*) FROM t");
        if (q.Step()) rows = q.Int(0);
        return Status::Ok();
      },
      nullptr);
  engine.Drain();
  return rows;
}

// Writes and reads submitted from several threads at once, completions
// handed to the executor from the store's threads: every job runs once,
// every write is readable after Drain(). ThreadSanitizer runs this
// (scripts/test) to check the engine's locking.
TEST(SqliteEngineTest, JobsFromManyThreadsAllRunOnce) {
  TempDb db;
  std::atomic<int> completed{0}, failed{0};
  {
    SqliteEngine engine(
        db.path(), 2, [](std::function<void()> fn) { fn(); },
        [](Db& d) { d.Exec("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, who INTEGER)"); });
    constexpr int kThreads = 4, kJobs = 150;
    std::vector<std::thread> threads;
    for (int w = 0; w < kThreads; ++w) {
      threads.emplace_back([&, w] {
        for (int i = 0; i < kJobs; ++i) {
          engine.Write(
              [w](Db& d) {
                d.Run("INSERT INTO t(who) VALUES (?)", w);
                return Status::Ok();
              },
              [&](Status s) { ++(s.ok() ? completed : failed); });
          engine.Read(
              [](Db& d) {
                auto q = d.Query("SELECT count(*) FROM t");
                return q.Step() ? Status::Ok() : Status::Failed("no row");
              },
              [&](Status s) { ++(s.ok() ? completed : failed); });
        }
      });
    }
    for (auto& t : threads) t.join();
    engine.Drain();
    EXPECT_EQ(completed.load(), 2 * kThreads * kJobs);
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(CountRows(engine), kThreads * kJobs);
    const auto stats = engine.stats();
    EXPECT_EQ(stats.jobs, static_cast<uint64_t>(kThreads * kJobs));
  }
}

// Writes nobody waits for linger for company (here "for ever": an hour);
// the first write somebody waits for ends the wait, and all of them share
// one commit.
// An engine on table t(id) whose writes nobody waits for linger an hour.
struct LingeringEngine {
  TempDb db;
  SqliteEngine engine{db.path(), 1, [](std::function<void()> fn) { fn(); },
                      [](Db& d) { d.Exec("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY)"); },
                      std::chrono::hours(1)};
};

Status InsertRow(Db& d) {
  d.Run("INSERT INTO t DEFAULT VALUES");
  return Status::Ok();
}

TEST(SqliteEngineTest, AWaitedForWriteEndsTheLingerAndSharesTheCommit) {
  LingeringEngine l;
  SqliteEngine& engine = l.engine;
  for (int i = 0; i < 3; ++i) engine.Write(InsertRow, nullptr, /*waited_for=*/false);
  std::promise<Status> answered;
  engine.Write(InsertRow, [&](Status s) { answered.set_value(s); });
  EXPECT_TRUE(answered.get_future().get().ok());
  const auto stats = engine.stats();
  EXPECT_EQ(stats.jobs, 4u);
  EXPECT_EQ(stats.commits, 1u);
}

// Drain() (and so shutdown) does not wait out a linger: with an hour's
// linger this test would time out.
TEST(SqliteEngineTest, DrainCommitsLingeringWritesAtOnce) {
  LingeringEngine l;
  SqliteEngine& engine = l.engine;
  for (int i = 0; i < 5; ++i) engine.Write(InsertRow, nullptr, /*waited_for=*/false);
  EXPECT_EQ(CountRows(engine), 5);
  EXPECT_EQ(engine.stats().commits, 1u);
}

// Background jobs (pruning) keep their place in the order of submission,
// but each runs alone, in a transaction of its own: the writes submitted
// before one commit first, those after it wait for it.
TEST(SqliteEngineTest, BackgroundJobsKeepTheirPlaceButRunAlone) {
  TempDb db;
  SqliteEngine engine(
      db.path(), 1, [](std::function<void()> fn) { fn(); },
      [](Db& d) { d.Exec("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, who TEXT)"); });
  std::vector<std::string> order;  // written by the writer thread only, read after Drain()
  const auto job = [&order](std::string name) {
    return [&order, name](Db& d) {
      d.Run("INSERT INTO t(who) VALUES (?)", name);
      order.push_back(name);
      return Status::Ok();
    };
  };
  std::promise<void> running, go;
  std::shared_future<void> gate = go.get_future().share();
  engine.Write(
      [&order, &running, gate](Db&) {
        running.set_value();
        gate.wait();  // the writer is busy while the rest is queued
        order.push_back("w0");
        return Status::Ok();
      },
      nullptr);
  running.get_future().wait();
  engine.Write(job("w1"), nullptr);
  engine.Write(job("w2"), nullptr);
  engine.WriteInBackground(
      [&](Db&) {
        order.push_back("b1");
        engine.Write(job("w5"), nullptr);  // a write that comes during b1
        return Status::Ok();
      },
      nullptr);
  engine.Write(job("w3"), nullptr);
  engine.WriteInBackground(job("b2"), nullptr);
  engine.Write(job("w4"), nullptr);
  const uint64_t commits_before = engine.stats().commits;
  go.set_value();
  engine.Drain();
  EXPECT_EQ(order, (std::vector<std::string>{"w0", "w1", "w2", "b1", "w3", "b2", "w4", "w5"}));
  EXPECT_EQ(engine.stats().commits - commits_before, 6u)
      << "w0; w1 and w2 together; b1; w3; b2; w4 and w5 together";
  EXPECT_EQ(CountRows(engine), 6);
}

// A write that fails (here: a constraint) undoes only itself; the engine
// keeps committing the others and later writes.
TEST(SqliteEngineTest, AFailingWriteDoesNotStopTheWriter) {
  TempDb db;
  SqliteEngine engine(
      db.path(), 1, [](std::function<void()> fn) { fn(); },
      [](Db& d) { d.Exec("CREATE TABLE IF NOT EXISTS u(name TEXT PRIMARY KEY)"); });
  std::vector<Status> results(3);
  int i = 0;
  for (const char* name : {"a", "a", "b"}) {
    engine.Write(
        [name](Db& d) {
          d.Run("INSERT INTO u(name) VALUES (?)", name);
          return Status::Ok();
        },
        [&results, n = i++](Status s) { results[n] = s; });
  }
  engine.Drain();
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(results[1].conflict());
  EXPECT_TRUE(results[2].ok());
}

// When COMMIT itself fails (here a deferred foreign key; on a full disk an
// I/O error), every job of the group still gets exactly one answer, none of
// them ok, nothing of them is kept, and the next write commits.
TEST(SqliteEngineTest, AFailedCommitAnswersEveryJobOfItsGroup) {
  TempDb db;
  SqliteEngine engine(
      db.path(), 1, [](std::function<void()> fn) { fn(); },
      [](Db& d) {
        d.Exec("PRAGMA foreign_keys=ON");  // the writer's connection only
        d.Exec("CREATE TABLE IF NOT EXISTS parent(id INTEGER PRIMARY KEY)");
        d.Exec(
            "CREATE TABLE IF NOT EXISTS child(id INTEGER PRIMARY KEY, parent INTEGER REFERENCES "
            "parent(id) DEFERRABLE INITIALLY DEFERRED)");
      });
  constexpr int kJobs = 20;
  std::vector<int> answers(kJobs + 1, 0);
  std::vector<bool> ok(kJobs + 1, false);
  for (int i = 0; i < kJobs; ++i) {
    engine.Write(
        [i](Db& d) {
          // Job 7 refers to a parent that does not exist: only COMMIT notices.
          d.Run("INSERT INTO child(id, parent) VALUES (?, ?)", i + 1, i == 7 ? 999 : 0);
          if (i != 7) d.Run("INSERT OR IGNORE INTO parent(id) VALUES (0)");
          return Status::Ok();
        },
        [&, i](Status s) {
          ++answers[i];
          ok[i] = s.ok();
        });
  }
  engine.Drain();
  engine.Write(
      [](Db& d) {
        d.Run("INSERT INTO child(id, parent) VALUES (1000, 0)");
        d.Run("INSERT OR IGNORE INTO parent(id) VALUES (0)");
        return Status::Ok();
      },
      [&](Status s) {
        ++answers[kJobs];
        ok[kJobs] = s.ok();
      });
  engine.Drain();
  for (int i = 0; i <= kJobs; ++i) EXPECT_EQ(answers[i], 1) << "job " << i;
  EXPECT_FALSE(ok[7]);
  EXPECT_TRUE(ok[kJobs]) << "the engine writes again after a failed commit";
  // What was answered ok is there; nothing else is.
  std::vector<int64_t> kept;
  engine.Read(
      [&](Db& d) {
        auto q = d.Query("SELECT id FROM child ORDER BY id");
        while (q.Step()) kept.push_back(q.Int(0));
        return Status::Ok();
      },
      nullptr);
  engine.Drain();
  std::vector<int64_t> acknowledged;
  for (int i = 0; i < kJobs; ++i) {
    if (ok[i]) acknowledged.push_back(i + 1);
  }
  acknowledged.push_back(1000);
  EXPECT_EQ(kept, acknowledged);
}

}  // namespace
}  // namespace caucus::store
