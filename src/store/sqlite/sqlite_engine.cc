#include "store/sqlite/sqlite_engine.h"

#include <spdlog/spdlog.h>

namespace caucus::store {
namespace {

Status RunGuarded(const SqliteEngine::Body& body, Db& db) {
  try {
    return body(db);
  } catch (const SqliteError& e) {
    if (e.constraint()) return Status::Conflict(e.what());
    spdlog::error("store: {}", e.what());
    return Status::Failed(e.what());
  }
}

}  // namespace

SqliteEngine::SqliteEngine(const std::string& path, int readers, Executor executor,
                           const std::function<void(Db&)>& prepare,
                           std::chrono::milliseconds linger)
    : executor_(std::move(executor)), pending_(kMaxBatch, linger) {
  writer_db_ = Db::Open(path, false);
  prepare(*writer_db_);
  for (int i = 0; i < readers; ++i) {
    reader_dbs_.push_back(Db::Open(path, false));
    reader_dbs_.back()->Exec("PRAGMA query_only=1");
  }
  threads_.emplace_back([this] { WriterLoop(); });
  for (auto& db : reader_dbs_) threads_.emplace_back([this, d = db.get()] { ReaderLoop(d); });
}

SqliteEngine::~SqliteEngine() {
  Drain();
  {
    std::scoped_lock lock(writes_.mu, reads_.mu);
    stopping_ = true;
  }
  writes_.cv.notify_all();
  reads_.cv.notify_all();
  for (auto& t : threads_) t.join();
}

void SqliteEngine::Write(Body body, After after, bool waited_for) {
  bool wake = true;
  {
    std::lock_guard lock(writes_.mu);
    wake = pending_.Push({std::move(body), std::move(after), waited_for});
  }
  if (wake) writes_.cv.notify_one();
}

void SqliteEngine::WriteInBackground(Body body, After after) {
  {
    std::lock_guard lock(writes_.mu);
    pending_.PushBackground({std::move(body), std::move(after)});
  }
  writes_.cv.notify_one();
}

void SqliteEngine::Read(Body body, After after) {
  {
    std::lock_guard lock(reads_.mu);
    reads_.jobs.push_back({std::move(body), std::move(after)});
  }
  reads_.cv.notify_one();
}

void SqliteEngine::Drain() {
  {
    std::unique_lock lock(writes_.mu);
    pending_.BeginDrain();
    writes_.cv.notify_one();  // no lingering while somebody drains
    drained_.wait(lock, [this] { return pending_.idle(); });
    pending_.EndDrain();
  }
  std::unique_lock lock(reads_.mu);
  reads_drained_.wait(lock, [this] { return reads_.jobs.empty() && reading_ == 0; });
}

SqliteEngine::Stats SqliteEngine::stats() const {
  std::lock_guard lock(writes_.mu);
  return stats_;
}

void SqliteEngine::Complete(std::vector<std::pair<After, Status>> done) {
  executor_([done = std::move(done)]() mutable {
    for (auto& [after, status] : done) {
      if (after) after(std::move(status));
    }
  });
}

void SqliteEngine::SetCommitObserver(CommitObserver observer) {
  auto shared = std::make_shared<const CommitObserver>(std::move(observer));
  std::lock_guard lock(writes_.mu);
  observer_ = std::move(shared);
}

void SqliteEngine::WriterLoop() {
  Db& db = *writer_db_;
  std::vector<Job> batch;
  std::shared_ptr<const CommitObserver> observer;
  while (true) {
    bool background = false;
    {
      std::unique_lock lock(writes_.mu);
      writes_.cv.wait(lock, [this] { return stopping_ || pending_.has_work(); });
      if (!pending_.Take(lock, writes_.cv, stopping_, &batch, &background)) return;
      observer = background ? nullptr : observer_;
    }

    // The completions stay with their jobs until the group commits or
    // fails: every job gets exactly one answer, and none says ok unless
    // COMMIT did (a failed COMMIT, say on a full disk, fails them all).
    std::vector<Status> statuses;
    statuses.reserve(batch.size());
    bool committed = false;
    std::string failure;
    try {
      db.Exec("BEGIN IMMEDIATE");
      for (auto& job : batch) {
        // Prepared once (Run), not parsed again for every job.
        db.Run("SAVEPOINT job");
        Status status = RunGuarded(job.body, db);
        if (!status.ok()) db.Run("ROLLBACK TO job");
        db.Run("RELEASE job");
        statuses.push_back(std::move(status));
      }
      const auto commit_start = std::chrono::steady_clock::now();
      db.Exec("COMMIT");
      committed = true;
      if (observer) {
        (*observer)(batch.size(), std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::steady_clock::now() - commit_start));
      }
    } catch (const SqliteError& e) {
      failure = e.what();
      spdlog::error("store: transaction of {} writes failed: {}", batch.size(), failure);
      if (!sqlite3_get_autocommit(db.handle())) {
        try {
          db.Exec("ROLLBACK");
        } catch (const SqliteError&) {
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
      stats_.jobs += batch.size();
    }
    batch.clear();
    Complete(std::move(done));

    std::lock_guard lock(writes_.mu);
    pending_.Done();
    if (pending_.idle()) drained_.notify_all();
  }
}

void SqliteEngine::ReaderLoop(Db* db) {
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
    Status status = RunGuarded(job.body, *db);
    std::vector<std::pair<After, Status>> done;
    done.emplace_back(std::move(job.after), std::move(status));
    Complete(std::move(done));
    std::lock_guard lock(reads_.mu);
    --reading_;
    if (reads_.jobs.empty() && reading_ == 0) reads_drained_.notify_all();
  }
}

}  // namespace caucus::store
