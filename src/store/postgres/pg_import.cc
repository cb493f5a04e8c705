#include "store/postgres/pg_import.h"

#include <filesystem>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_engine.h"
#include "store/postgres/pg_schema.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_db.h"

namespace caucus::store {
namespace {

enum class Kind { kInt, kText, kBool, kBytes };

struct TableCopy {
  const char* table;
  const char* select;  // SQLite, in key order
  const char* insert;  // PostgreSQL
  std::vector<Kind> columns;
};

// Every table but the change feed and the nodes' heartbeats (a running
// deployment's business) and the schema version (each store's own), in
// schema version 3 of SQLite and 4 of PostgreSQL (whose 4 adds a rule, not
// a column).
const std::vector<TableCopy>& Tables() {
  using K = Kind;
  static const std::vector<TableCopy> tables = {
      {"accounts",
       "SELECT id, name, name_key, password_hash, admin, created_ms, last_login_ms FROM accounts "
       "ORDER BY id",
       "INSERT INTO accounts(id, name, name_key, password_hash, admin, created_ms, last_login_ms) "
       "VALUES($1, $2, $3, $4, $5, $6, $7)",
       {K::kInt, K::kText, K::kText, K::kText, K::kBool, K::kInt, K::kInt}},
      {"tokens",
       "SELECT hash, account_id, created_ms, expires_ms FROM tokens ORDER BY hash",
       "INSERT INTO tokens(hash, account_id, created_ms, expires_ms) VALUES($1, $2, $3, $4)",
       {K::kBytes, K::kInt, K::kInt, K::kInt}},
      {"login_history",
       "SELECT id, account_id, time_ms, address, event FROM login_history ORDER BY id",
       "INSERT INTO login_history(id, account_id, time_ms, address, event) "
       "VALUES($1, $2, $3, $4, $5)",
       {K::kInt, K::kInt, K::kInt, K::kText, K::kText}},
      {"lockouts",
       "SELECT account_id, address, failures, locked_until_ms, last_failure_ms FROM lockouts "
       "ORDER BY account_id, address",
       "INSERT INTO lockouts(account_id, address, failures, locked_until_ms, last_failure_ms) "
       "VALUES($1, $2, $3, $4, $5)",
       {K::kInt, K::kText, K::kInt, K::kInt, K::kInt}},
      {"blocks",
       "SELECT blocker, blocked, created_ms FROM blocks ORDER BY blocker, blocked",
       "INSERT INTO blocks(blocker, blocked, created_ms) VALUES($1, $2, $3)",
       {K::kInt, K::kInt, K::kInt}},
      {"messages",
       "SELECT id, time_ms, sender, recipient, text FROM messages ORDER BY id",
       "INSERT INTO messages(id, time_ms, sender, recipient, text) VALUES($1, $2, $3, $4, $5)",
       {K::kInt, K::kInt, K::kInt, K::kInt, K::kText}},
      {"offline_queue",
       "SELECT recipient, message_id FROM offline_queue ORDER BY recipient, message_id",
       "INSERT INTO offline_queue(recipient, message_id) VALUES($1, $2)",
       {K::kInt, K::kInt}},
      {"posts",
       "SELECT number, author, created_ms, edited_ms, text FROM posts ORDER BY number",
       "INSERT INTO posts(number, author, created_ms, edited_ms, text) VALUES($1, $2, $3, $4, $5)",
       {K::kInt, K::kInt, K::kInt, K::kInt, K::kText}},
      {"polls",
       "SELECT seq, title, flags, max_choices, state, opens_ms, closes_ms, close_after_s, "
       "created_ms FROM polls ORDER BY seq",
       "INSERT INTO polls(seq, title, flags, max_choices, state, opens_ms, closes_ms, "
       "close_after_s, created_ms) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
       {K::kInt, K::kText, K::kText, K::kInt, K::kInt, K::kInt, K::kInt, K::kInt, K::kInt}},
      {"poll_options",
       "SELECT poll, number, label FROM poll_options ORDER BY poll, number",
       "INSERT INTO poll_options(poll, number, label) VALUES($1, $2, $3)",
       {K::kInt, K::kInt, K::kText}},
      {"poll_roll",
       "SELECT poll, account_id FROM poll_roll ORDER BY poll, account_id",
       "INSERT INTO poll_roll(poll, account_id) VALUES($1, $2)",
       {K::kInt, K::kInt}},
      {"poll_voters",
       "SELECT poll, account_id FROM poll_voters ORDER BY poll, account_id",
       "INSERT INTO poll_voters(poll, account_id) VALUES($1, $2)",
       {K::kInt, K::kInt}},
      {"ballots",
       "SELECT poll, receipt, choice FROM ballots ORDER BY poll, receipt, choice",
       "INSERT INTO ballots(poll, receipt, choice) VALUES($1, $2, $3)",
       {K::kInt, K::kText, K::kInt}},
      {"revote_links",
       "SELECT poll, voter_tag, sealed_receipt FROM revote_links ORDER BY poll, voter_tag",
       "INSERT INTO revote_links(poll, voter_tag, sealed_receipt) VALUES($1, $2, $3)",
       {K::kInt, K::kBytes, K::kBytes}},
      {"audit",
       "SELECT id, time_ms, actor, action, detail FROM audit ORDER BY id",
       "INSERT INTO audit(id, time_ms, actor, action, detail) VALUES($1, $2, $3, $4, $5)",
       {K::kInt, K::kInt, K::kText, K::kText, K::kText}},
      {"id_blocks",
       "SELECT kind, next FROM id_blocks ORDER BY kind",
       "INSERT INTO id_blocks(kind, next) VALUES($1, $2)",
       {K::kText, K::kInt}},
  };
  return tables;
}

// The identity columns, to go on after the copied numbers. posts and polls
// were AUTOINCREMENT on SQLite: numbers of deleted rows are not given
// again there either (sqlite_sequence remembers them).
struct Identity {
  const char* table;
  const char* column;
};
constexpr Identity kIdentities[] = {{"accounts", "id"},  {"login_history", "id"},
                                    {"posts", "number"}, {"polls", "seq"},
                                    {"audit", "id"},     {"changes", "seq"}};

int64_t Count(Db& db, const std::string& table) {
  const std::string sql = "SELECT count(*) FROM " + table;
  // Not through the statement cache (keyed by the text's address).
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    db.Fail(SQLITE_ERROR, sql);
  }
  const int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  return n;
}

int64_t Count(PgConn& conn, const std::string& table) {
  PGresult* r = PQexec(conn.handle(), ("SELECT count(*) FROM " + table).c_str());
  const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
  const int64_t n = ok ? std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10) : -1;
  PQclear(r);
  if (!ok) throw PgError("", "cannot count the rows of " + table, conn.lost());
  return n;
}

int64_t SqliteSequence(Db& db, const char* table) {
  auto q = db.Query("SELECT seq FROM sqlite_sequence WHERE name = ?", table);
  return q.Step() ? q.Int(0) : 0;
}

std::vector<CopiedTable> Copy(Db& source, PgConn& target) {
  target.Exec("BEGIN");
  // The writers' lock: no server writes into the target while it fills.
  target.Command("SELECT pg_advisory_xact_lock($1)", PgEngine::kWriterLockKey);
  for (const auto& t : Tables()) {
    if (const int64_t n = Count(target, t.table); n > 0) {
      throw PgError("",
                    std::string("the target database is not empty (") + t.table + " has " +
                        std::to_string(n) + " rows): copy into a new database",
                    false);
    }
  }
  if (Count(target, "changes") > 0) {
    throw PgError("", "the target database is not empty (it has a change feed)", false);
  }

  std::vector<CopiedTable> copied;
  target.BeginPipeline();
  for (const auto& t : Tables()) {
    auto q = source.Query(t.select);
    int64_t rows = 0;
    std::vector<PgParam> params(t.columns.size());
    while (q.Step()) {
      for (size_t c = 0; c < t.columns.size(); ++c) {
        const int col = static_cast<int>(c);
        switch (t.columns[c]) {
          case Kind::kInt:
            params[c] = ToParam(q.Int(col));
            break;
          case Kind::kText:
            params[c] = ToParam(q.Text(col));
            break;
          case Kind::kBool:
            params[c] = ToParam(q.Int(col) != 0);
            break;
          case Kind::kBytes:
            params[c] = PgParam{q.Blob(col), true};
            break;
        }
      }
      target.RunWith(t.insert, params);
      ++rows;
    }
    copied.push_back({t.table, rows});
  }
  target.EndPipeline();

  for (const auto& id : kIdentities) {
    int64_t floor = 0;
    if (std::string_view(id.table) == "posts" || std::string_view(id.table) == "polls") {
      floor = SqliteSequence(source, id.table);
    }
    const std::string sql = std::string("SELECT setval(pg_get_serial_sequence('") + id.table +
                            "', '" + id.column + "'), greatest($1::bigint, (SELECT coalesce(max(" +
                            id.column + "), 0) FROM " + id.table + ")) + 1, false)";
    PGresult* r = nullptr;
    const std::string floor_text = std::to_string(floor);
    const char* values[] = {floor_text.c_str()};
    r = PQexecParams(target.handle(), sql.c_str(), 1, nullptr, values, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    const std::string error = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    if (!ok)
      throw PgError("", "setting the next " + std::string(id.table) + " number: " + error,
                    target.lost());
  }

  // Counted on both sides before the commit: a difference undoes it all.
  for (const auto& c : copied) {
    const int64_t in_source = Count(source, c.table);
    const int64_t in_target = Count(target, c.table);
    if (in_source != c.rows || in_target != c.rows) {
      throw PgError("",
                    "counts differ for " + c.table + ": " + std::to_string(in_source) +
                        " in SQLite, " + std::to_string(c.rows) + " copied, " +
                        std::to_string(in_target) + " in PostgreSQL",
                    false);
    }
  }
  target.Exec("COMMIT");
  return copied;
}

}  // namespace

Result<std::vector<CopiedTable>> CopySqliteToPostgres(const std::string& sqlite_path,
                                                      const std::string& uri) {
  if (LatestSchemaVersion() != 3 || LatestPostgresSchemaVersion() != 4) {
    return Status::Failed("store copy knows schema version 3 of SQLite and 4 of PostgreSQL only");
  }
  std::error_code ec;
  if (!std::filesystem::exists(sqlite_path, ec)) {
    return Status::Failed("no SQLite store at " + sqlite_path);
  }
  std::unique_ptr<Db> source;
  try {
    source = Db::Open(sqlite_path, false);
    Migrate(*source);
  } catch (const SqliteError& e) {
    return Status::Failed(std::string("the SQLite store: ") + e.what());
  }
  std::unique_ptr<PgConn> target;
  try {
    target = PgConn::Open(uri);
    MigratePostgres(*target);
  } catch (const PgError& e) {
    return Status::Failed(std::string("the PostgreSQL store: ") + e.what());
  }
  try {
    // One snapshot of the source for the whole copy.
    source->Exec("BEGIN");
    auto copied = Copy(*source, *target);
    source->Exec("COMMIT");
    return copied;
  } catch (const SqliteError& e) {
    return Status::Failed(std::string("reading the SQLite store: ") + e.what());
  } catch (const PgError& e) {
    return Status::Failed(e.what());
  }
}

}  // namespace caucus::store
