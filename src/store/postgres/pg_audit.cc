// PgStore: the audit log and the change feed.
#include "store/postgres/pg_store.h"

namespace caucus::store {

void PgStore::Audit(AuditEntry e, Callback<Done> done) {
  WriteOp<Done>(
      [e = std::move(e)](PgConn& conn) -> Result<Done> {
        conn.Run("INSERT INTO audit(time_ms, actor, action, detail) VALUES($1, $2, $3, $4)",
                 e.time_ms, e.actor, e.action, e.detail);
        return Done{};
      },
      std::move(done));
}

void PgStore::ReadAudit(TimeMs since_ms, int limit, Callback<std::vector<AuditEntry>> done) {
  ReadOp<std::vector<AuditEntry>>(
      [since_ms, limit](PgConn& conn) -> Result<std::vector<AuditEntry>> {
        std::vector<AuditEntry> out;
        auto r = conn.Query(
            "SELECT time_ms, actor, action, detail FROM audit WHERE time_ms >= $1 ORDER BY id "
            "LIMIT $2",
            since_ms, limit);
        for (int i = 0; i < r.size(); ++i) {
          out.push_back({r.Int(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3)});
        }
        return out;
      },
      std::move(done));
}

void PgStore::NoteChange(std::string kind, std::string key, Callback<Done> done) {
  WriteOp<Done>(
      [this, kind = std::move(kind), key = std::move(key)](PgConn& conn) -> Result<Done> {
        NoteChangeIn(conn, kind.c_str(), key);
        return Done{};
      },
      std::move(done));
}

void PgStore::ChangesSince(int64_t seq, Callback<std::vector<Change>> done) {
  ReadOp<std::vector<Change>>(
      [seq](PgConn& conn) -> Result<std::vector<Change>> {
        std::vector<Change> out;
        auto r = conn.Query(
            "SELECT seq, kind, key, origin FROM changes WHERE seq > $1 ORDER BY seq LIMIT 1000",
            seq);
        for (int i = 0; i < r.size(); ++i) {
          out.push_back({r.Int(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3)});
        }
        return out;
      },
      std::move(done));
}

void PgStore::LastChange(Callback<int64_t> done) {
  ReadOp<int64_t>(
      [](PgConn& conn) -> Result<int64_t> {
        return conn.Query("SELECT coalesce(max(seq), 0) FROM changes").Int(0, 0);
      },
      std::move(done));
}

}  // namespace caucus::store
