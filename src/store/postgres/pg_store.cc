#include "store/postgres/pg_store.h"

#include "store/postgres/pg_schema.h"

namespace caucus::store {

PgStore::PgStore(const std::string& uri, Executor executor, std::string origin, int readers)
    : origin_(std::move(origin)),
      engine_(uri, readers, std::move(executor), [](PgConn& conn) { MigratePostgres(conn); }) {}

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& uri, Executor executor,
                                               std::string origin, int readers) {
  try {
    return std::unique_ptr<PgStore>(
        new PgStore(uri, std::move(executor), std::move(origin), readers));
  } catch (const PgError& e) {
    return Status::Failed(e.what());
  }
}

void PgStore::NoteChangeIn(PgConn& conn, const char* kind, const std::string& key) const {
  // Sent with the COMMIT, under the writers' lock (PgEngine), so the
  // sequence numbers are handed out in commit order.
  conn.AtCommit("INSERT INTO changes(kind, key, origin) VALUES($1, $2, $3)", kind, key, origin_);
}

}  // namespace caucus::store
