// PgStore: the message board.
#include "store/postgres/pg_store.h"

namespace caucus::store {
namespace {

// Who wrote post `number`, or kNotFound.
Result<AccountId> AuthorOf(PgConn& conn, int64_t number) {
  auto r = conn.Query("SELECT author FROM posts WHERE number = $1", number);
  if (r.size() == 0) return Status::NotFound();
  return r.Int(0, 0);
}

}  // namespace

void PgStore::CreatePost(AccountId author, TimeMs now_ms, std::string text,
                         Callback<int64_t> done) {
  WriteOp<int64_t>(
      [author, now_ms, text = std::move(text)](PgConn& conn) -> Result<int64_t> {
        return conn
            .Query(
                "INSERT INTO posts(author, created_ms, text) VALUES($1, $2, $3) RETURNING number",
                author, now_ms, text)
            .Int(0, 0);
      },
      std::move(done));
}

void PgStore::EditPost(int64_t number, AccountId editor, TimeMs now_ms, std::string text,
                       Callback<PostCheck> done) {
  WriteOp<PostCheck>(
      [number, editor, now_ms, text = std::move(text)](PgConn& conn) -> Result<PostCheck> {
        auto author = AuthorOf(conn, number);
        if (!author.ok()) return PostCheck::kNoSuchPost;
        if (*author != editor) return PostCheck::kNotAuthor;
        conn.Run("UPDATE posts SET text = $1, edited_ms = $2 WHERE number = $3", text, now_ms,
                 number);
        return PostCheck::kOk;
      },
      std::move(done));
}

void PgStore::DeletePost(int64_t number, AccountId requester, bool any_author,
                         Callback<PostCheck> done) {
  WriteOp<PostCheck>(
      [number, requester, any_author](PgConn& conn) -> Result<PostCheck> {
        auto author = AuthorOf(conn, number);
        if (!author.ok()) return PostCheck::kNoSuchPost;
        if (*author != requester && !any_author) return PostCheck::kNotAuthor;
        conn.Run("DELETE FROM posts WHERE number = $1", number);
        return PostCheck::kOk;
      },
      std::move(done));
}

void PgStore::ReadPosts(TimeMs since_ms, Callback<std::vector<PostRecord>> done) {
  ReadOp<std::vector<PostRecord>>(
      [since_ms](PgConn& conn) -> Result<std::vector<PostRecord>> {
        std::vector<PostRecord> out;
        auto r = conn.Query(
            "SELECT number, author, created_ms, edited_ms, text FROM posts "
            "WHERE created_ms > $1 OR edited_ms > $1 ORDER BY number",
            since_ms);
        for (int i = 0; i < r.size(); ++i) {
          out.push_back({r.Int(i, 0), r.Int(i, 1), r.Int(i, 2), r.Int(i, 3), r.Text(i, 4)});
        }
        return out;
      },
      std::move(done));
}

}  // namespace caucus::store
