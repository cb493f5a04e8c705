#include "store/sqlite_store.h"

#include "store/schema.h"

namespace caucus::store {

SqliteStore::SqliteStore(const std::string& path, Executor executor, std::string origin,
                         int readers)
    : origin_(std::move(origin)),
      engine_(path, readers, std::move(executor), [](Db& db) { Migrate(db); }) {}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, Executor executor,
                                                       std::string origin, int readers) {
  try {
    return std::unique_ptr<SqliteStore>(
        new SqliteStore(path, std::move(executor), std::move(origin), readers));
  } catch (const SqliteError& e) {
    return Status::Failed(e.what());
  }
}

void SqliteStore::NoteChangeIn(Db& db, const char* kind, const std::string& key) const {
  db.Run("INSERT INTO changes(kind, key, origin) VALUES(?, ?, ?)", kind, key, origin_);
}

int64_t PollSeq(const std::string& poll_id) {
  if (poll_id.size() < 2 || poll_id.size() > 19 || poll_id[0] != 'p') return -1;
  int64_t seq = 0;
  for (size_t i = 1; i < poll_id.size(); ++i) {
    if (poll_id[i] < '0' || poll_id[i] > '9') return -1;
    seq = seq * 10 + (poll_id[i] - '0');
  }
  return seq;
}

}  // namespace caucus::store
