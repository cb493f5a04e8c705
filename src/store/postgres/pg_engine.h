// PgEngine runs the PostgreSQL store's jobs on its own threads and
// connections: what SqliteEngine is to SQLite, with the same contract.
//
// One writer thread owns the only writing connection. It takes every write
// job waiting (up to kMaxBatch) and runs them in one transaction with one
// COMMIT: one WAL flush for the whole group. The group first goes through
// libpq's pipeline mode, every statement sent without waiting for the one
// before (a round trip per group, not per statement). If any job fails
// there (a uniqueness rule, say), the transaction is rolled back and the
// group runs again one job at a time, each inside its own savepoint, so that
// one job's failure leaves the others intact and each gets its own answer.
// Only after the COMMIT are the jobs' completions handed to the executor,
// all in one call. Job bodies must therefore give the same answer when run
// twice from the same state (they are plain functions of the database).
//
// Every write transaction with change feed rows (PgConn::AtCommit) ends by
// taking one advisory lock (kWriterLockKey), inserting those rows and
// committing, sent as one burst: such transactions of every process on the
// database (the nodes, the command line) commit one at a time, so the
// change feed's sequence numbers are in commit order, and the lock is never
// held while the server waits for a client. A transaction without such rows
// (votes, the message log) does not take it, so that the commits of several
// processes share WAL flushes. The rest of the transactions
// of different processes may run side by side; should two of them
// deadlock on rows, PostgreSQL ends one, and its group runs again job by
// job. A transaction left idle for kIdleInTransactionLimit (its process
// stopped between statements) is ended by the server, with it whatever it
// held; the stopped process's writes in it fail.
//
// Writes nobody waits for may linger up to kLinger for company, as on
// SQLite; background writes (pruning the log) keep their place in the
// order of submission but run alone, each in a transaction of its own, as
// on SQLite. Reader threads own connections of their own and run
// read jobs one at a time.
//
// Outages: a job that meets a lost connection fails (Status::kFailed, never
// a false ok); the next job reconnects. While idle, the writer checks its
// connection every kProbeEvery, so stats() says within about a second that
// the database cannot be reached, and again when it can.
//
// Thread-safety: Write(), Read(), Drain() and stats() may be called from
// any thread.
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

#include "store/postgres/pg_conn.h"
#include "store/result.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace caucus::store {

class PgEngine {
 public:
  // A job's body; returns a non-ok Status to undo its own changes. It may
  // throw PgError: a unique violation counts as Status::kConflict, anything
  // else as Status::kFailed.
  using Body = std::function<Status(PgConn&)>;
  using After = std::function<void(Status)>;

  static constexpr size_t kMaxBatch = 4096;
  static constexpr std::chrono::milliseconds kLinger{2};
  static constexpr std::chrono::milliseconds kProbeEvery{1000};
  static constexpr int64_t kWriterLockKey = 0x6361756375730001;  // "caucus" 1
  static constexpr const char* kIdleInTransactionLimit =
      "SET idle_in_transaction_session_timeout = 2000";  // ms

  // Connects (running `prepare` on the writer connection first, for
  // migrations) and starts the threads. Throws PgError when the database
  // cannot be reached or prepared.
  PgEngine(std::string uri, int readers, Executor executor,
           const std::function<void(PgConn&)>& prepare, std::chrono::milliseconds linger = kLinger);
  ~PgEngine();  // drains the writes, then stops

  void Write(Body body, After after, bool waited_for = true);
  // A background write: in order with Write()s, never grouped with them,
  // and not seen by the commit observer.
  void WriteInBackground(Body body, After after);
  void Read(Body body, After after);
  void Drain();

  StoreStats stats() const;
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
  void ReaderLoop(int index);
  // Runs one group on the writer connection; the statuses of its jobs, or
  // throws PgError when the group did not commit.
  std::vector<Status> RunGroup(std::vector<Job>& batch);
  std::vector<Status> RunPipelined(std::vector<Job>& batch, bool* needs_replay);
  std::vector<Status> RunOneByOne(std::vector<Job>& batch);
  // Sends the writers' lock, the statements deferred to the commit, and
  // COMMIT.
  static void CommitUnderLock(PgConn& conn);
  // Checks (or restores) the writer's connection while idle.
  void Probe();
  // Connects `*conn` if it is not; an empty string, or why it cannot.
  std::string Connect(std::unique_ptr<PgConn>* conn);
  // Records (and logs, once per outage) whether the database answers.
  void SetReachable(bool reachable, const std::string& why);
  void Complete(std::vector<std::pair<After, Status>> done);

  const std::string uri_;
  Executor executor_;
  std::unique_ptr<PgConn> writer_;
  std::vector<std::unique_ptr<PgConn>> readers_;  // each owned by its thread
  Lock writes_;
  WriteQueue<Job> pending_;  // guarded by writes_.mu
  Queue reads_;
  std::condition_variable drained_;
  std::condition_variable reads_drained_;
  int reading_ = 0;  // guarded by reads_.mu
  bool stopping_ = false;
  StoreStats stats_;                                // guarded by writes_.mu
  bool unreachable_ = false;                        // guarded by writes_.mu
  std::shared_ptr<const CommitObserver> observer_;  // guarded by writes_.mu
  std::vector<std::thread> threads_;
};

}  // namespace caucus::store
