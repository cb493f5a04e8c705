// PgStore: the heartbeats of the nodes sharing this database, by the
// database server's clock.
#include "store/postgres/pg_store.h"

namespace caucus::store {

namespace {

constexpr TimeMs kForgetMs = 86'400'000;

}  // namespace

void PgStore::Beat(std::string node, std::string incarnation, Callback<Beats> done) {
  WriteOp<Beats>(
      [node, incarnation](PgConn& conn) -> Result<Beats> {
        const TimeMs now =
            conn.Query("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint").Int(0, 0);
        Beats out;
        auto own = conn.Query("SELECT beat_ms FROM nodes WHERE id = $1 AND incarnation = $2", node,
                              incarnation);
        if (own.size() > 0) out.own_age_ms = now - own.Int(0, 0);
        conn.Run(
            "INSERT INTO nodes(id, incarnation, beat_ms) VALUES($1, $2, $3) "
            "ON CONFLICT(id) DO UPDATE SET incarnation = excluded.incarnation, "
            "beat_ms = excluded.beat_ms",
            node, incarnation, now);
        conn.Run("DELETE FROM nodes WHERE beat_ms < $1", now - kForgetMs);
        auto r = conn.Query("SELECT id, incarnation, beat_ms FROM nodes WHERE id <> $1 ORDER BY id",
                            node);
        for (int i = 0; i < r.size(); ++i) {
          out.others.push_back({r.Text(i, 0), r.Text(i, 1), now - r.Int(i, 2)});
        }
        return out;
      },
      std::move(done));
}

void PgStore::Leave(std::string node, std::string incarnation, Callback<Done> done) {
  WriteOp<Done>(
      [node, incarnation](PgConn& conn) -> Result<Done> {
        conn.Run("DELETE FROM nodes WHERE id = $1 AND incarnation = $2", node, incarnation);
        return Done{};
      },
      std::move(done));
}

}  // namespace caucus::store
