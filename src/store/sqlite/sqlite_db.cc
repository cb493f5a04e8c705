#include "store/sqlite/sqlite_db.h"

namespace caucus::store {

bool Cursor::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.Fail(rc, sqlite3_sql(stmt_));
}

std::string Cursor::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
}

std::string Cursor::Blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
}

void Cursor::Bind(int index, int64_t value) {
  if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) db_.Fail(rc, "bind");
}

void Cursor::Bind(int index, std::string_view text) {
  if (int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                   SQLITE_UTF8);
      rc != SQLITE_OK) {
    db_.Fail(rc, "bind");
  }
}

void Cursor::Bind(int index, BlobRef blob) {
  if (int rc =
          sqlite3_bind_blob64(stmt_, index, blob.bytes.data(), blob.bytes.size(), SQLITE_TRANSIENT);
      rc != SQLITE_OK) {
    db_.Fail(rc, "bind");
  }
}

void Cursor::Bind(int index, std::nullptr_t) {
  if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) db_.Fail(rc, "bind");
}

std::unique_ptr<Db> Db::Open(const std::string& path, bool read_only) {
  sqlite3* handle = nullptr;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  std::unique_ptr<Db> db(new Db(handle));
  if (rc != SQLITE_OK) db->Fail(rc, "open " + path);
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, 10000);
  if (!read_only) {
    db->Exec("PRAGMA journal_mode=WAL");
  }
  // FULL: a WAL commit is fsynced before it returns, so an acknowledged write
  // survives a power cut, not only a process crash.
  db->Exec("PRAGMA synchronous=FULL");
  db->Exec("PRAGMA secure_delete=ON");
  db->Exec("PRAGMA temp_store=MEMORY");
  db->Exec("PRAGMA foreign_keys=OFF");
  return db;
}

Db::~Db() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(handle_);
}

void Db::Exec(const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(handle_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw SqliteError(rc, message + " (" + sql + ")");
  }
}

sqlite3_stmt* Db::Prepare(const char* sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(handle_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) Fail(rc, sql);
  statements_.emplace(sql, stmt);
  return stmt;
}

void Db::Fail(int rc, std::string_view context) const {
  std::string message = sqlite3_errmsg(handle_);
  if (message.empty() || message == "not an error") message = sqlite3_errstr(rc);
  throw SqliteError(rc, message + " (" + std::string(context) + ")");
}

}  // namespace caucus::store
