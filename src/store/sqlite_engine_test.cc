#include "store/sqlite_engine.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
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
    int64_t rows = -1;
    engine.Read(
        [&](Db& d) {
          auto q = d.Query("SELECT count(*) FROM t");
          if (q.Step()) rows = q.Int(0);
          return Status::Ok();
        },
        nullptr);
    engine.Drain();
    EXPECT_EQ(rows, kThreads * kJobs);
    const auto stats = engine.stats();
    EXPECT_EQ(stats.jobs, static_cast<uint64_t>(kThreads * kJobs));
  }
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

}  // namespace
}  // namespace caucus::store
