#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/schema.h"

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

}  // namespace caucus::store
