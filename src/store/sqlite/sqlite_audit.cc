// SqliteStore: the audit log and the change feed.
#include "store/sqlite/sqlite_store.h"

namespace caucus::store {

void SqliteStore::Audit(AuditEntry e, Callback<Done> done) {
  WriteOp<Done>(
      [e = std::move(e)](Db& db) -> Result<Done> {
        db.Run("INSERT INTO audit(time_ms, actor, action, detail) VALUES(?, ?, ?, ?)", e.time_ms,
               e.actor, e.action, e.detail);
        return Done{};
      },
      std::move(done));
}

void SqliteStore::ReadAudit(TimeMs since_ms, int limit, Callback<std::vector<AuditEntry>> done) {
  ReadOp<std::vector<AuditEntry>>(
      [since_ms, limit](Db& db) -> Result<std::vector<AuditEntry>> {
        std::vector<AuditEntry> out;
        auto q = db.Query(
            "SELECT time_ms, actor, action, detail FROM audit WHERE time_ms >= ? ORDER BY id "
            "LIMIT ?",
            since_ms, limit);
        while (q.Step()) out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3)});
        return out;
      },
      std::move(done));
}

void SqliteStore::NoteChange(std::string kind, std::string key, Callback<Done> done) {
  WriteOp<Done>(
      [this, kind = std::move(kind), key = std::move(key)](Db& db) -> Result<Done> {
        NoteChangeIn(db, kind.c_str(), key);
        return Done{};
      },
      std::move(done));
}

void SqliteStore::ChangesSince(int64_t seq, Callback<std::vector<Change>> done) {
  ReadOp<std::vector<Change>>(
      [seq](Db& db) -> Result<std::vector<Change>> {
        std::vector<Change> out;
        auto q = db.Query(
            "SELECT seq, kind, key, origin FROM changes WHERE seq > ? ORDER BY seq LIMIT 1000",
            seq);
        while (q.Step()) out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3)});
        return out;
      },
      std::move(done));
}

void SqliteStore::LastChange(Callback<int64_t> done) {
  ReadOp<int64_t>(
      [](Db& db) -> Result<int64_t> {
        auto q = db.Query("SELECT coalesce(max(seq), 0) FROM changes");
        q.Step();
        return q.Int(0);
      },
      std::move(done));
}

}  // namespace caucus::store
