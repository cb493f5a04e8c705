// SqliteStore: the message log, offline queues and blocks.
#include "store/sqlite/sqlite_store.h"

namespace caucus::store {
namespace {

MessageRecord ReadMessage(const Cursor& q) {
  return MessageRecord{q.Int(0), q.Int(1), q.Int(2), q.Int(3), q.Text(4)};
}

}  // namespace

void SqliteStore::AppendMessage(MessageRecord m, bool queue, Callback<Done> done) {
  WriteOp<Done>(
      [m = std::move(m), queue](Db& db) -> Result<Done> {
        db.Run("INSERT INTO messages(id, time_ms, sender, recipient, text) VALUES(?, ?, ?, ?, ?)",
               m.id, m.time_ms, m.sender, m.recipient, m.text);
        if (queue) {
          db.Run("INSERT INTO offline_queue(recipient, message_id) VALUES(?, ?)", m.recipient,
                 m.id);
        }
        return Done{};
      },
      std::move(done));
}

void SqliteStore::TakeQueued(AccountId recipient, Callback<std::vector<MessageRecord>> done) {
  // A write job, so that it is ordered after every write submitted before it.
  WriteOp<std::vector<MessageRecord>>(
      [recipient](Db& db) -> Result<std::vector<MessageRecord>> {
        std::vector<MessageRecord> out;
        auto q = db.Query(
            "SELECT m.id, m.time_ms, m.sender, m.recipient, m.text FROM offline_queue o "
            "JOIN messages m ON m.id = o.message_id WHERE o.recipient = ? ORDER BY o.message_id",
            recipient);
        while (q.Step()) out.push_back(ReadMessage(q));
        return out;
      },
      std::move(done));
}

void SqliteStore::AckQueued(AccountId recipient, std::vector<int64_t> ids, Callback<Done> done) {
  WriteOp<Done>(
      [recipient, ids = std::move(ids)](Db& db) -> Result<Done> {
        for (int64_t id : ids) {
          db.Run("DELETE FROM offline_queue WHERE recipient = ? AND message_id = ?", recipient, id);
        }
        return Done{};
      },
      std::move(done));
}

void SqliteStore::History(AccountId a, AccountId b, int64_t before_id, int limit,
                          Callback<std::vector<MessageRecord>> done) {
  ReadOp<std::vector<MessageRecord>>(
      [a, b, before_id, limit](Db& db) -> Result<std::vector<MessageRecord>> {
        std::vector<MessageRecord> out;
        auto q = db.Query(
            "SELECT id, time_ms, sender, recipient, text FROM messages "
            "WHERE id < ? AND ((sender = ? AND recipient = ?) OR (sender = ? AND recipient = ?)) "
            "ORDER BY id DESC LIMIT ?",
            before_id, a, b, b, a, limit);
        while (q.Step()) out.push_back(ReadMessage(q));
        return out;
      },
      std::move(done));
}

void SqliteStore::MessageLog(TimeMs since_ms, int limit,
                             Callback<std::vector<MessageRecord>> done) {
  ReadOp<std::vector<MessageRecord>>(
      [since_ms, limit](Db& db) -> Result<std::vector<MessageRecord>> {
        std::vector<MessageRecord> out;
        auto q = db.Query(
            "SELECT id, time_ms, sender, recipient, text FROM messages WHERE time_ms >= ? "
            "ORDER BY id LIMIT ?",
            since_ms, limit);
        while (q.Step()) out.push_back(ReadMessage(q));
        return out;
      },
      std::move(done));
}

void SqliteStore::PruneMessages(TimeMs before_ms, LogPosition after, int limit,
                                Callback<PruneStep> done) {
  BackgroundOp<PruneStep>(
      [before_ms, after, limit](Db& db) -> Result<PruneStep> {
        PruneStep step;
        std::vector<int64_t> unqueued;
        {
          // messages_by_time holds (time_ms, id): a range scan in order.
          auto q = db.Query(
              "SELECT m.time_ms, m.id, EXISTS(SELECT 1 FROM offline_queue o "
              "WHERE o.recipient = m.recipient AND o.message_id = m.id) FROM messages m "
              "WHERE m.time_ms < ? AND (m.time_ms, m.id) > (?, ?) ORDER BY m.time_ms, m.id "
              "LIMIT ?",
              before_ms, after.time_ms, after.id, limit);
          while (q.Step()) {
            ++step.examined;
            step.last = {q.Int(0), q.Int(1)};
            if (q.Int(2) == 0) unqueued.push_back(q.Int(1));
          }
        }
        if (unqueued.empty()) return step;
        // The highest id stays known when its message goes (LastMessageId).
        db.Run(
            "INSERT INTO id_blocks(kind, next) VALUES('message', (SELECT max(id) + 1 FROM "
            "messages)) "
            "ON CONFLICT(kind) DO UPDATE SET next = max(next, excluded.next)");
        for (int64_t id : unqueued) db.Run("DELETE FROM messages WHERE id = ?", id);
        step.deleted = static_cast<int64_t>(unqueued.size());
        return step;
      },
      std::move(done));
}

void SqliteStore::LastMessageId(Callback<int64_t> done) {
  ReadOp<int64_t>(
      [](Db& db) -> Result<int64_t> {
        // id_blocks remembers ids reserved, and the highest of pruned messages.
        auto q = db.Query(
            "SELECT max((SELECT coalesce(max(id), 0) FROM messages), "
            "coalesce((SELECT next - 1 FROM id_blocks WHERE kind = 'message'), 0))");
        q.Step();
        return q.Int(0);
      },
      std::move(done));
}

void SqliteStore::ReserveMessageIds(int64_t count, Callback<int64_t> done) {
  WriteOp<int64_t>(
      [count](Db& db) -> Result<int64_t> {
        int64_t first = 1;
        {
          auto q = db.Query(
              "SELECT max(coalesce((SELECT next FROM id_blocks WHERE kind = 'message'), 1), "
              "(SELECT coalesce(max(id), 0) + 1 FROM messages))");
          q.Step();
          first = q.Int(0);
        }
        db.Run(
            "INSERT INTO id_blocks(kind, next) VALUES('message', ?) "
            "ON CONFLICT(kind) DO UPDATE SET next = excluded.next",
            first + count);
        return first;
      },
      std::move(done));
}

void SqliteStore::SetBlock(Block block, bool blocked, TimeMs now_ms, Callback<Done> done) {
  WriteOp<Done>(
      [this, block, blocked, now_ms](Db& db) -> Result<Done> {
        if (blocked) {
          db.Run("INSERT OR IGNORE INTO blocks(blocker, blocked, created_ms) VALUES(?, ?, ?)",
                 block.blocker, block.blocked, now_ms);
        } else {
          db.Run("DELETE FROM blocks WHERE blocker = ? AND blocked = ?", block.blocker,
                 block.blocked);
        }
        // Other processes sharing the store (nodes) cache blocks.
        NoteChangeIn(db, "blocks", std::to_string(block.blocker));
        return Done{};
      },
      std::move(done));
}

void SqliteStore::LoadBlocks(Callback<std::vector<Block>> done) {
  ReadOp<std::vector<Block>>(
      [](Db& db) -> Result<std::vector<Block>> {
        std::vector<Block> out;
        auto q = db.Query("SELECT blocker, blocked FROM blocks");
        while (q.Step()) out.push_back({q.Int(0), q.Int(1)});
        return out;
      },
      std::move(done));
}

}  // namespace caucus::store
