// A thin C++ face on one SQLite connection, for the store's own threads.
//
//   auto q = db.Query("SELECT id FROM accounts WHERE name_key = ?", key);
//   if (q.Step()) id = q.Int(0);
//
// Statements are prepared once per connection and cached by their SQL text's
// address (pass string literals). A Cursor resets its statement when it ends.
// SQLite failures throw SqliteError; the store catches it at the job
// boundary and turns it into a Status, so no exception leaves the store.
//
// Thread-safety: a Db is used by one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace caucus::store {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  // The database refused a write because of a UNIQUE or PRIMARY KEY rule.
  bool constraint() const { return (code_ & 0xff) == SQLITE_CONSTRAINT; }

 private:
  int code_;
};

// Blob parameters are bound from this wrapper, text from string_view.
struct BlobRef {
  std::string_view bytes;
};

class Db;

class Cursor {
 public:
  Cursor(Db& db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Cursor(Cursor&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  // Steps once; true when a row is available.
  bool Step();
  // Runs a statement that returns no rows.
  void Run() {
    while (Step()) {
    }
  }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const;
  std::string Blob(int col) const;

  void Bind(int index, int64_t value);
  void Bind(int index, int value) { Bind(index, static_cast<int64_t>(value)); }
  void Bind(int index, bool value) { Bind(index, static_cast<int64_t>(value)); }
  void Bind(int index, std::string_view text);
  void Bind(int index, const std::string& text) { Bind(index, std::string_view(text)); }
  void Bind(int index, const char* text) { Bind(index, std::string_view(text)); }
  void Bind(int index, BlobRef blob);
  void Bind(int index, std::nullptr_t);

 private:
  Db& db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // Opens (creating if needed) the database at `path` with the pragmas the
  // store relies on: WAL, synchronous FULL, busy timeout, secure delete.
  static std::unique_ptr<Db> Open(const std::string& path, bool read_only);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(const char* sql);
  template <class... Args>
  Cursor Query(const char* sql, const Args&... args) {
    Cursor q(*this, Prepare(sql));
    int index = 0;
    (q.Bind(++index, args), ...);
    return q;
  }
  // Runs one statement with parameters and no rows.
  template <class... Args>
  void Run(const char* sql, const Args&... args) {
    Query(sql, args...).Run();
  }
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(handle_); }
  int Changes() const { return sqlite3_changes(handle_); }

  [[noreturn]] void Fail(int rc, std::string_view context) const;
  sqlite3* handle() const { return handle_; }

 private:
  explicit Db(sqlite3* handle) : handle_(handle) {}
  sqlite3_stmt* Prepare(const char* sql);

  sqlite3* handle_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

}  // namespace caucus::store
