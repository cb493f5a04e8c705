// SqliteStore: the message board.
#include "store/sqlite/sqlite_store.h"

namespace caucus::store {
namespace {

// Who wrote post `number`, or kNotFound.
Result<AccountId> AuthorOf(Db& db, int64_t number) {
  auto q = db.Query("SELECT author FROM posts WHERE number = ?", number);
  if (!q.Step()) return Status::NotFound();
  return q.Int(0);
}

}  // namespace

void SqliteStore::CreatePost(AccountId author, TimeMs now_ms, std::string text,
                             Callback<int64_t> done) {
  WriteOp<int64_t>(
      [author, now_ms, text = std::move(text)](Db& db) -> Result<int64_t> {
        db.Run("INSERT INTO posts(author, created_ms, text) VALUES(?, ?, ?)", author, now_ms, text);
        return db.LastInsertRowid();
      },
      std::move(done));
}

void SqliteStore::EditPost(int64_t number, AccountId editor, TimeMs now_ms, std::string text,
                           Callback<PostCheck> done) {
  WriteOp<PostCheck>(
      [number, editor, now_ms, text = std::move(text)](Db& db) -> Result<PostCheck> {
        auto author = AuthorOf(db, number);
        if (!author.ok()) return PostCheck::kNoSuchPost;
        if (*author != editor) return PostCheck::kNotAuthor;
        db.Run("UPDATE posts SET text = ?, edited_ms = ? WHERE number = ?", text, now_ms, number);
        return PostCheck::kOk;
      },
      std::move(done));
}

void SqliteStore::DeletePost(int64_t number, AccountId requester, bool any_author,
                             Callback<PostCheck> done) {
  WriteOp<PostCheck>(
      [number, requester, any_author](Db& db) -> Result<PostCheck> {
        auto author = AuthorOf(db, number);
        if (!author.ok()) return PostCheck::kNoSuchPost;
        if (*author != requester && !any_author) return PostCheck::kNotAuthor;
        db.Run("DELETE FROM posts WHERE number = ?", number);
        return PostCheck::kOk;
      },
      std::move(done));
}

void SqliteStore::ReadPosts(TimeMs since_ms, Callback<std::vector<PostRecord>> done) {
  ReadOp<std::vector<PostRecord>>(
      [since_ms](Db& db) -> Result<std::vector<PostRecord>> {
        std::vector<PostRecord> out;
        auto q = db.Query(
            "SELECT number, author, created_ms, edited_ms, text FROM posts "
            "WHERE created_ms > ?1 OR edited_ms > ?1 ORDER BY number",
            since_ms);
        while (q.Step()) out.push_back({q.Int(0), q.Int(1), q.Int(2), q.Int(3), q.Text(4)});
        return out;
      },
      std::move(done));
}

}  // namespace caucus::store
