#include "store/postgres/pg_engine.h"

#include <spdlog/spdlog.h>

namespace caucus::store {
namespace {

// A job's own failure as a Status; a lost connection is the whole group's
// failure and goes on up.
Status RunGuarded(const PgEngine::Body& body, PgConn& conn) {
  try {
    return body(conn);
  } catch (const PgError& e) {
    if (e.connection_lost()) throw;
    if (e.unique_violation()) return Status::Conflict(e.what());
    // The schema's CHECK rules stand for a row that must be there in a
    // given state (a voter's mark needs its poll open): kNotFound.
    if (e.check_violation()) return Status::NotFound(e.what());
    spdlog::error("store: {}", e.what());
    return Status::Failed(e.what());
  }
}

}  // namespace

PgEngine::PgEngine(std::string uri, int readers, Executor executor,
                   const std::function<void(PgConn&)>& prepare, std::chrono::milliseconds linger)
    : uri_(std::move(uri)), executor_(std::move(executor)), pending_(kMaxBatch, linger) {
  writer_ = PgConn::Open(uri_);
  prepare(*writer_);
  for (int i = 0; i < readers; ++i) readers_.push_back(PgConn::Open(uri_));
  threads_.emplace_back([this] { WriterLoop(); });
  for (int i = 0; i < readers; ++i) threads_.emplace_back([this, i] { ReaderLoop(i); });
}

PgEngine::~PgEngine() {
  Drain();
  {
    std::scoped_lock lock(writes_.mu, reads_.mu);
    stopping_ = true;
  }
  writes_.cv.notify_all();
  reads_.cv.notify_all();
  for (auto& t : threads_) t.join();
}

void PgEngine::Write(Body body, After after, bool waited_for) {
  bool wake = true;
  {
    std::lock_guard lock(writes_.mu);
    wake = pending_.Push({std::move(body), std::move(after), waited_for});
  }
  if (wake) writes_.cv.notify_one();
}

void PgEngine::WriteInBackground(Body body, After after) {
  {
    std::lock_guard lock(writes_.mu);
    pending_.PushBackground({std::move(body), std::move(after)});
  }
  writes_.cv.notify_one();
}

void PgEngine::Read(Body body, After after) {
  {
    std::lock_guard lock(reads_.mu);
    reads_.jobs.push_back({std::move(body), std::move(after)});
  }
  reads_.cv.notify_one();
}

void PgEngine::Drain() {
  {
    std::unique_lock lock(writes_.mu);
    pending_.BeginDrain();
    writes_.cv.notify_one();
    drained_.wait(lock, [this] { return pending_.idle(); });
    pending_.EndDrain();
  }
  std::unique_lock lock(reads_.mu);
  reads_drained_.wait(lock, [this] { return reads_.jobs.empty() && reading_ == 0; });
}

StoreStats PgEngine::stats() const {
  std::lock_guard lock(writes_.mu);
  return stats_;
}

void PgEngine::SetCommitObserver(CommitObserver observer) {
  auto shared = std::make_shared<const CommitObserver>(std::move(observer));
  std::lock_guard lock(writes_.mu);
  observer_ = std::move(shared);
}

void PgEngine::Complete(std::vector<std::pair<After, Status>> done) {
  executor_([done = std::move(done)]() mutable {
    for (auto& [after, status] : done) {
      if (after) after(std::move(status));
    }
  });
}

std::string PgEngine::Connect(std::unique_ptr<PgConn>* conn) {
  if (*conn && !(*conn)->lost()) return {};
  conn->reset();
  try {
    *conn = PgConn::Open(uri_);
    // A process stopped in the middle of a transaction (SIGSTOP, a paused
    // VM) would hold the writers' lock, and every node's writes with it,
    // until it resumed: the server ends such a transaction instead. Ours
    // never wait on themselves between statements.
    (*conn)->Exec(kIdleInTransactionLimit);
    return {};
  } catch (const PgError& e) {
    return e.what();
  }
}

void PgEngine::SetReachable(bool reachable, const std::string& why) {
  std::lock_guard lock(writes_.mu);
  if (!reachable) {
    // Logged once per outage, not once a second.
    if (!unreachable_) spdlog::error("store: the database cannot be reached: {}", why);
    unreachable_ = true;
    stats_.last_commit_failed = true;
  } else if (unreachable_) {
    spdlog::info("store: the database answers again");
    unreachable_ = false;
    stats_.last_commit_failed = false;
  }
}

void PgEngine::Probe() {
  std::string why;
  if (writer_ && !writer_->lost()) {
    try {
      writer_->Exec("SELECT 1");
      SetReachable(true, {});
      return;
    } catch (const PgError& e) {
      why = e.what();
      writer_.reset();
    }
  }
  if (auto failure = Connect(&writer_); !failure.empty()) why = failure;
  SetReachable(writer_ != nullptr, why);
}

std::vector<Status> PgEngine::RunPipelined(std::vector<Job>& batch, bool* needs_replay) {
  PgConn& conn = *writer_;
  std::vector<Status> statuses;
  statuses.reserve(batch.size());
  conn.ForgetAtCommit();
  conn.BeginPipeline();
  conn.Run("BEGIN");
  for (auto& job : batch) {
    const uint64_t writes_before = conn.writes();
    Status status = job.body(conn);  // PgError: the caller abandons the pipeline
    if (!status.ok() && conn.writes() != writes_before) {
      // It changed something it now wants undone: only a savepoint can.
      *needs_replay = true;
      conn.AbandonPipeline();
      return {};
    }
    statuses.push_back(std::move(status));
  }
  CommitUnderLock(conn);
  conn.EndPipeline();
  return statuses;
}

void PgEngine::CommitUnderLock(PgConn& conn) {
  // The writers' lock is taken last, in one burst with the change feed's
  // rows and the COMMIT: the server holds it while it runs them, never
  // while it waits for this process (which may be stopped: a node paused
  // mid-write held every node's writes up while the lock came first).
  // Only a transaction with change feed rows takes it: the lock is held
  // through the commit's WAL flush, so the transactions that take it flush
  // one at a time, while the others (votes, the message log) share flushes
  // across processes by PostgreSQL's own group commit.
  if (conn.at_commit_count() > 0) conn.Run("SELECT pg_advisory_xact_lock($1)", kWriterLockKey);
  conn.RunAtCommit();
  conn.Run("COMMIT");
}

std::vector<Status> PgEngine::RunOneByOne(std::vector<Job>& batch) {
  PgConn& conn = *writer_;
  std::vector<Status> statuses;
  statuses.reserve(batch.size());
  conn.ForgetAtCommit();
  conn.Run("BEGIN");
  try {
    for (auto& job : batch) {
      conn.Run("SAVEPOINT job");
      const size_t deferred = conn.at_commit_count();
      Status status = RunGuarded(job.body, conn);
      if (!status.ok()) {
        conn.Run("ROLLBACK TO SAVEPOINT job");
        conn.ForgetAtCommit(deferred);
      }
      conn.Run("RELEASE SAVEPOINT job");
      statuses.push_back(std::move(status));
    }
    CommitUnderLock(conn);
  } catch (const PgError&) {
    if (!conn.lost() && PQtransactionStatus(conn.handle()) != PQTRANS_IDLE) {
      try {
        conn.Exec("ROLLBACK");
      } catch (const PgError&) {
      }
    }
    throw;
  }
  return statuses;
}

std::vector<Status> PgEngine::RunGroup(std::vector<Job>& batch) {
  bool needs_replay = false;
  try {
    auto statuses = RunPipelined(batch, &needs_replay);
    if (!needs_replay) return statuses;
  } catch (const PgError& e) {
    if (e.connection_lost() || writer_->lost()) throw;
    writer_->AbandonPipeline();
    if (writer_->lost()) throw;
  }
  // Somebody's job failed: again, each in a savepoint, to tell whose.
  return RunOneByOne(batch);
}

void PgEngine::WriterLoop() {
  std::vector<Job> batch;
  std::shared_ptr<const CommitObserver> observer;
  while (true) {
    bool background = false;
    {
      std::unique_lock lock(writes_.mu);
      const bool woken = writes_.cv.wait_for(lock, kProbeEvery,
                                             [this] { return stopping_ || pending_.has_work(); });
      if (!woken) {
        lock.unlock();
        Probe();
        continue;
      }
      if (!pending_.Take(lock, writes_.cv, stopping_, &batch, &background)) return;
      observer = background ? nullptr : observer_;
    }

    std::vector<Status> statuses;
    bool committed = false;
    bool reachable = true;
    std::string failure = Connect(&writer_);
    if (!failure.empty()) {
      reachable = false;
      SetReachable(false, failure);
    } else {
      try {
        const auto start = std::chrono::steady_clock::now();
        statuses = RunGroup(batch);
        committed = true;
        if (observer) {
          (*observer)(batch.size(), std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - start));
        }
      } catch (const PgError& e) {
        failure = e.what();
        reachable = !writer_->lost();
        if (reachable) {
          spdlog::error("store: transaction of {} writes failed: {}", batch.size(), failure);
        } else {
          writer_.reset();
          SetReachable(false, failure);
        }
      }
    }
    std::vector<std::pair<After, Status>> done;
    done.reserve(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      done.emplace_back(
          std::move(batch[i].after),
          committed ? std::move(statuses[i]) : Status::Failed("not committed: " + failure));
    }
    {
      // Before the answers go out: whoever reads an error, then /readyz,
      // finds the failure counted.
      std::lock_guard lock(writes_.mu);
      stats_.commits += committed ? 1 : 0;
      stats_.failed_commits += committed ? 0 : 1;
      stats_.last_commit_failed = !committed;
      if (committed && unreachable_) spdlog::info("store: the database answers again");
      unreachable_ = !reachable;
      stats_.jobs += batch.size();
    }
    batch.clear();
    Complete(std::move(done));

    std::lock_guard lock(writes_.mu);
    pending_.Done();
    if (pending_.idle()) drained_.notify_all();
  }
}

void PgEngine::ReaderLoop(int index) {
  std::unique_ptr<PgConn>& conn = readers_[index];
  while (true) {
    Job job;
    {
      std::unique_lock lock(reads_.mu);
      reads_.cv.wait(lock, [this] { return stopping_ || !reads_.jobs.empty(); });
      if (reads_.jobs.empty()) return;
      job = std::move(reads_.jobs.front());
      reads_.jobs.pop_front();
      ++reading_;
    }
    Status status;
    // A read may run twice: once more on a new connection when the old one
    // turns out to be lost (the database restarted since the last read).
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (auto failure = Connect(&conn); !failure.empty()) {
        status = Status::Failed("the database cannot be reached: " + failure);
        break;
      }
      try {
        status = RunGuarded(job.body, *conn);
        break;
      } catch (const PgError& e) {
        status = Status::Failed(e.what());
        conn.reset();
      }
    }
    std::vector<std::pair<After, Status>> done;
    done.emplace_back(std::move(job.after), std::move(status));
    Complete(std::move(done));
    std::lock_guard lock(reads_.mu);
    --reading_;
    if (reads_.jobs.empty() && reading_ == 0) reads_drained_.notify_all();
  }
}

}  // namespace caucus::store
