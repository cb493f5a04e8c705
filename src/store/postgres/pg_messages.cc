// PgStore: the message log, offline queues and blocks.
#include "store/postgres/pg_store.h"

namespace caucus::store {
namespace {

MessageRecord ReadMessage(const PgRows& r, int row) {
  return MessageRecord{r.Int(row, 0), r.Int(row, 1), r.Int(row, 2), r.Int(row, 3), r.Text(row, 4)};
}

// A bigint[] parameter in PostgreSQL's text form: {1,2,3}.
std::string IdArray(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(ids[i]);
  }
  out += '}';
  return out;
}

}  // namespace

void PgStore::AppendMessage(MessageRecord m, bool queue, Callback<Done> done) {
  WriteOp<Done>(
      [m = std::move(m), queue](PgConn& conn) -> Result<Done> {
        conn.Run(
            "INSERT INTO messages(id, time_ms, sender, recipient, text) VALUES($1, $2, $3, $4, $5)",
            m.id, m.time_ms, m.sender, m.recipient, m.text);
        if (queue) {
          conn.Run("INSERT INTO offline_queue(recipient, message_id) VALUES($1, $2)", m.recipient,
                   m.id);
        }
        return Done{};
      },
      std::move(done));
}

void PgStore::TakeQueued(AccountId recipient, Callback<std::vector<MessageRecord>> done) {
  // A write job, so that it is ordered after every write submitted before it.
  WriteOp<std::vector<MessageRecord>>(
      [recipient](PgConn& conn) -> Result<std::vector<MessageRecord>> {
        std::vector<MessageRecord> out;
        auto r = conn.Query(
            "SELECT m.id, m.time_ms, m.sender, m.recipient, m.text FROM offline_queue o "
            "JOIN messages m ON m.id = o.message_id WHERE o.recipient = $1 ORDER BY o.message_id",
            recipient);
        for (int i = 0; i < r.size(); ++i) out.push_back(ReadMessage(r, i));
        return out;
      },
      std::move(done));
}

void PgStore::AckQueued(AccountId recipient, std::vector<int64_t> ids, Callback<Done> done) {
  WriteOp<Done>(
      [recipient, ids = IdArray(ids)](PgConn& conn) -> Result<Done> {
        conn.Run(
            "DELETE FROM offline_queue WHERE recipient = $1 AND message_id = ANY($2::bigint[])",
            recipient, ids);
        return Done{};
      },
      std::move(done));
}

void PgStore::History(AccountId a, AccountId b, int64_t before_id, int limit,
                      Callback<std::vector<MessageRecord>> done) {
  ReadOp<std::vector<MessageRecord>>(
      [a, b, before_id, limit](PgConn& conn) -> Result<std::vector<MessageRecord>> {
        std::vector<MessageRecord> out;
        auto r = conn.Query(
            "SELECT id, time_ms, sender, recipient, text FROM messages "
            "WHERE id < $1 AND ((sender = $2 AND recipient = $3) OR (sender = $3 AND recipient = "
            "$2)) ORDER BY id DESC LIMIT $4",
            before_id, a, b, limit);
        for (int i = 0; i < r.size(); ++i) out.push_back(ReadMessage(r, i));
        return out;
      },
      std::move(done));
}

void PgStore::MessageLog(TimeMs since_ms, int limit, Callback<std::vector<MessageRecord>> done) {
  ReadOp<std::vector<MessageRecord>>(
      [since_ms, limit](PgConn& conn) -> Result<std::vector<MessageRecord>> {
        std::vector<MessageRecord> out;
        auto r = conn.Query(
            "SELECT id, time_ms, sender, recipient, text FROM messages WHERE time_ms >= $1 "
            "ORDER BY id LIMIT $2",
            since_ms, limit);
        for (int i = 0; i < r.size(); ++i) out.push_back(ReadMessage(r, i));
        return out;
      },
      std::move(done));
}

void PgStore::PruneMessages(TimeMs before_ms, LogPosition after, int limit,
                            Callback<PruneStep> done) {
  BackgroundOp<PruneStep>(
      [before_ms, after, limit](PgConn& conn) -> Result<PruneStep> {
        PruneStep step;
        std::vector<int64_t> unqueued;
        auto r = conn.Query(
            "SELECT m.time_ms, m.id, EXISTS(SELECT 1 FROM offline_queue o "
            "WHERE o.recipient = m.recipient AND o.message_id = m.id) FROM messages m "
            "WHERE m.time_ms < $1 AND (m.time_ms, m.id) > ($2::bigint, $3::bigint) "
            "ORDER BY m.time_ms, m.id LIMIT $4",
            before_ms, after.time_ms, after.id, limit);
        for (int i = 0; i < r.size(); ++i) {
          ++step.examined;
          step.last = {r.Int(i, 0), r.Int(i, 1)};
          if (!r.Bool(i, 2)) unqueued.push_back(r.Int(i, 1));
        }
        if (unqueued.empty()) return step;
        // The highest id stays known when its message goes (LastMessageId).
        conn.Run(
            "INSERT INTO id_blocks(kind, next) VALUES('message', (SELECT max(id) + 1 FROM "
            "messages)) "
            "ON CONFLICT(kind) DO UPDATE SET next = greatest(id_blocks.next, excluded.next)");
        conn.Run("DELETE FROM messages WHERE id = ANY($1::bigint[])", IdArray(unqueued));
        step.deleted = static_cast<int64_t>(unqueued.size());
        return step;
      },
      std::move(done));
}

void PgStore::LastMessageId(Callback<int64_t> done) {
  ReadOp<int64_t>(
      [](PgConn& conn) -> Result<int64_t> {
        // id_blocks remembers ids reserved, and the highest of pruned messages.
        return conn
            .Query(
                "SELECT greatest((SELECT coalesce(max(id), 0) FROM messages), "
                "(SELECT coalesce(max(next) - 1, 0) FROM id_blocks WHERE kind = 'message'))")
            .Int(0, 0);
      },
      std::move(done));
}

void PgStore::ReserveMessageIds(int64_t count, Callback<int64_t> done) {
  WriteOp<int64_t>(
      [count](PgConn& conn) -> Result<int64_t> {
        // One row per kind, locked by the UPDATE: two nodes reserving at once
        // get blocks one after the other. Ids a single node took from
        // max(id) + 1 are skipped.
        const int64_t first =
            conn.Query(
                    "INSERT INTO id_blocks(kind, next) "
                    "VALUES('message', (SELECT coalesce(max(id), 0) + 1 FROM messages) + $1) "
                    "ON CONFLICT(kind) DO UPDATE SET next = greatest(id_blocks.next, "
                    "(SELECT coalesce(max(id), 0) + 1 FROM messages)) + $1 "
                    "RETURNING next - $1",
                    count)
                .Int(0, 0);
        return first;
      },
      std::move(done));
}

void PgStore::SetBlock(Block block, bool blocked, TimeMs now_ms, Callback<Done> done) {
  WriteOp<Done>(
      [this, block, blocked, now_ms](PgConn& conn) -> Result<Done> {
        if (blocked) {
          conn.Run(
              "INSERT INTO blocks(blocker, blocked, created_ms) VALUES($1, $2, $3) "
              "ON CONFLICT DO NOTHING",
              block.blocker, block.blocked, now_ms);
        } else {
          conn.Run("DELETE FROM blocks WHERE blocker = $1 AND blocked = $2", block.blocker,
                   block.blocked);
        }
        // Other nodes cache blocks.
        NoteChangeIn(conn, "blocks", std::to_string(block.blocker));
        return Done{};
      },
      std::move(done));
}

void PgStore::LoadBlocks(Callback<std::vector<Block>> done) {
  ReadOp<std::vector<Block>>(
      [](PgConn& conn) -> Result<std::vector<Block>> {
        std::vector<Block> out;
        auto r = conn.Query("SELECT blocker, blocked FROM blocks");
        for (int i = 0; i < r.size(); ++i) out.push_back({r.Int(i, 0), r.Int(i, 1)});
        return out;
      },
      std::move(done));
}

}  // namespace caucus::store
