// SqliteStore: the heartbeats of the nodes sharing this database file.
#include "store/sqlite/sqlite_store.h"

namespace caucus::store {

namespace {

// The store's clock: the machine's, as every process sharing the file runs
// on it.
constexpr const char* kNowMs =
    "SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
constexpr TimeMs kForgetMs = 86'400'000;

}  // namespace

void SqliteStore::Beat(std::string node, std::string incarnation, Callback<Beats> done) {
  WriteOp<Beats>(
      [node = std::move(node), incarnation = std::move(incarnation)](Db& db) -> Result<Beats> {
        TimeMs now = 0;
        {
          auto q = db.Query(kNowMs);
          q.Step();
          now = q.Int(0);
        }
        Beats out;
        {
          auto q = db.Query("SELECT beat_ms FROM nodes WHERE id = ? AND incarnation = ?", node,
                            incarnation);
          if (q.Step()) out.own_age_ms = now - q.Int(0);
        }
        db.Run(
            "INSERT INTO nodes(id, incarnation, beat_ms) VALUES(?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET incarnation = excluded.incarnation, "
            "beat_ms = excluded.beat_ms",
            node, incarnation, now);
        db.Run("DELETE FROM nodes WHERE beat_ms < ?", now - kForgetMs);
        auto q =
            db.Query("SELECT id, incarnation, beat_ms FROM nodes WHERE id <> ? ORDER BY id", node);
        while (q.Step()) out.others.push_back({q.Text(0), q.Text(1), now - q.Int(2)});
        return out;
      },
      std::move(done));
}

void SqliteStore::Leave(std::string node, std::string incarnation, Callback<Done> done) {
  WriteOp<Done>(
      [node = std::move(node), incarnation = std::move(incarnation)](Db& db) -> Result<Done> {
        db.Run("DELETE FROM nodes WHERE id = ? AND incarnation = ?", node, incarnation);
        return Done{};
      },
      std::move(done));
}

}  // namespace caucus::store
