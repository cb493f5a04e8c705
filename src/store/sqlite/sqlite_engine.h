// SqliteEngine runs store jobs on the store's own threads.
//
// One writer thread owns the only writing connection. It takes every write
// job waiting (up to kMaxBatch), runs them in one transaction, each inside
// its own savepoint so that one job's failure leaves the others intact, and
// commits once: one fsync for the whole group. Only then are the jobs'
// completions handed to the executor, all in one call.
//
// Writes nobody waits for (a login-history row, say) may linger up to
// kLinger for company: while only such writes are queued, the writer waits
// for more before it commits, so a burst of them shares one fsync instead
// of paying one each. A write somebody waits for, a full batch, Drain() or
// shutdown ends the wait at once.
//
// Background writes (pruning the log) keep their place in the order of
// submission but never share a transaction: each runs alone, and a group
// takes only the writes submitted before the first background job waiting.
// So the writes waiting when a background job comes go first, and a write
// that comes after it waits for that one job; keep each one short.
//
// Reader threads own read-only connections and run read jobs one at a time;
// in WAL mode they never wait for the writer.
//
// Thread-safety: Write(), Read() and Drain() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/result.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace caucus::store {

class SqliteEngine {
 public:
  // A job's body; returns a non-ok Status to undo its own changes. It may
  // throw SqliteError, which counts as Status::Failed.
  using Body = std::function<Status(Db&)>;
  // Called on the executor with the job's outcome: the body's Status, or
  // Failed if the transaction did not commit.
  using After = std::function<void(Status)>;

  static constexpr size_t kMaxBatch = 4096;
  static constexpr std::chrono::milliseconds kLinger{2};

  // Opens the database (running `prepare` on the writer connection first,
  // for migrations) and starts the threads. Throws SqliteError when the
  // database cannot be opened.
  SqliteEngine(const std::string& path, int readers, Executor executor,
               const std::function<void(Db&)>& prepare, std::chrono::milliseconds linger = kLinger);
  ~SqliteEngine();  // drains the writes, then stops

  // `waited_for`: somebody waits on the outcome (false: fire and forget,
  // may linger, see above; still committed durably, in order).
  void Write(Body body, After after, bool waited_for = true);
  // A background write (see above): in order with Write()s, never grouped
  // with them, and not seen by the commit observer.
  void WriteInBackground(Body body, After after);
  void Read(Body body, After after);
  // Waits until every job submitted so far has run and handed its
  // completion to the executor.
  void Drain();

  // Numbers for /metrics and benchmarks.
  using Stats = StoreStats;
  Stats stats() const;

  // Called on the writer thread after each commit (see store.h).
  using CommitObserver = store::CommitObserver;
  void SetCommitObserver(CommitObserver observer);

 private:
  struct Job {
    Body body;
    After after;
    bool waited_for = true;
    uint64_t seq = 0;  // submission order across writes and background writes
  };
  struct Lock {
    mutable std::mutex mu;
    std::condition_variable cv;
  };
  struct Queue : Lock {
    std::deque<Job> jobs;
  };

  void WriterLoop();
  void ReaderLoop(Db* db);
  void Complete(std::vector<std::pair<After, Status>> done);

  Executor executor_;
  std::unique_ptr<Db> writer_db_;
  std::vector<std::unique_ptr<Db>> reader_dbs_;
  Lock writes_;
  WriteQueue<Job> pending_;  // guarded by writes_.mu
  Queue reads_;
  std::condition_variable drained_;
  std::condition_variable reads_drained_;
  int reading_ = 0;  // guarded by reads_.mu: reads running
  bool stopping_ = false;
  Stats stats_;                                     // guarded by writes_.mu
  std::shared_ptr<const CommitObserver> observer_;  // guarded by writes_.mu
  std::vector<std::thread> threads_;
};

}  // namespace caucus::store
