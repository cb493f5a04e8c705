// A thin C++ face on one libpq connection, for the PostgreSQL store's own
// threads: what sqlite_db.h is to SQLite.
//
//   auto rows = conn.Query("SELECT id FROM accounts WHERE name_key = $1", key);
//   if (rows.size() > 0) id = rows.Int(0, 0);
//
// Statements are prepared once per connection and cached by their SQL text's
// address (pass string literals). Parameters go as text, but for Bytes
// (bytea, sent binary); results come back as text.
//
// Pipeline mode: between BeginPipeline() and EndPipeline(), Run() only
// queues its statement (libpq's pipeline mode: no round trip per
// statement); Query() and Command() still wait, for their own result and
// every queued one before it. An error of a queued statement surfaces as a
// PgError from the next call that waits, at the latest EndPipeline(); the
// transaction is then lost, and AbandonPipeline() brings the connection
// back to idle (no transaction, not in pipeline mode).
//
// Failures throw PgError; the store catches it at the job boundary and turns
// it into a Status, so no exception leaves the store.
//
// Thread-safety: a PgConn is used by one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace caucus::store {

class PgError : public std::runtime_error {
 public:
  PgError(std::string sqlstate, const std::string& what, bool connection_lost)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)), lost_(connection_lost) {}
  // The five-character SQLSTATE, empty when the server sent none.
  const std::string& sqlstate() const { return sqlstate_; }
  // A UNIQUE or PRIMARY KEY rule refused the write (23505).
  bool unique_violation() const { return sqlstate_ == "23505"; }
  // A CHECK rule refused the write (23514).
  bool check_violation() const { return sqlstate_ == "23514"; }
  // The connection is gone: the server stopped, restarted or is unreachable.
  bool connection_lost() const { return lost_; }

 private:
  std::string sqlstate_;
  bool lost_;
};

// A bytea parameter.
struct Bytes {
  std::string_view bytes;
};

// The rows of one statement.
class PgRows {
 public:
  explicit PgRows(PGresult* result) : result_(result, &PQclear) {}
  int size() const { return PQntuples(result_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }
  int64_t Int(int row, int col) const;
  bool Bool(int row, int col) const { return PQgetvalue(result_.get(), row, col)[0] == 't'; }
  std::string Text(int row, int col) const {
    return std::string(PQgetvalue(result_.get(), row, col), PQgetlength(result_.get(), row, col));
  }
  // A bytea column (decoded from the text form, \x followed by hex digits).
  std::string Bytea(int row, int col) const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t affected() const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

// One parameter in the form libpq takes it.
struct PgParam {
  std::string value;
  bool binary = false;
  bool null = false;
};

inline PgParam ToParam(int64_t v) { return {std::to_string(v)}; }
inline PgParam ToParam(int v) { return {std::to_string(v)}; }
inline PgParam ToParam(bool v) { return {v ? "true" : "false"}; }
inline PgParam ToParam(std::string_view v) { return {std::string(v)}; }
inline PgParam ToParam(const std::string& v) { return {v}; }
inline PgParam ToParam(const char* v) { return {v}; }
inline PgParam ToParam(Bytes v) { return {std::string(v.bytes), true}; }
inline PgParam ToParam(std::nullptr_t) { return {{}, false, true}; }

class PgConn {
 public:
  // Connects to `uri` (a libpq connection URI or string); throws PgError.
  static std::unique_ptr<PgConn> Open(const std::string& uri);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Runs one or more statements without parameters (simple protocol);
  // not in pipeline mode.
  void Exec(const char* sql);

  template <class... Args>
  PgRows Query(const char* sql, const Args&... args) {
    return Execute(sql, {ToParam(args)...}, true);
  }
  // A statement that returns no rows; how many rows it changed.
  template <class... Args>
  int64_t Command(const char* sql, const Args&... args) {
    return Execute(sql, {ToParam(args)...}, true).affected();
  }
  // A statement whose result nobody needs now: queued in pipeline mode.
  template <class... Args>
  void Run(const char* sql, const Args&... args) {
    RunWith(sql, {ToParam(args)...});
  }
  // Run() with parameters made at run time.
  void RunWith(const char* sql, const std::vector<PgParam>& params);

  // A statement for the end of the transaction: PgEngine sends what was
  // queued here right before its COMMIT (under the writers' lock, taken
  // there). Counts as a write.
  template <class... Args>
  void AtCommit(const char* sql, const Args&... args) {
    at_commit_.push_back(Deferred{sql, {ToParam(args)...}});
    ++writes_;
  }
  size_t at_commit_count() const { return at_commit_.size(); }
  // Forgets what was queued since the count was `n` (its job was undone).
  void ForgetAtCommit(size_t n = 0) { at_commit_.resize(std::min(n, at_commit_.size())); }
  // Run()s what was queued, in order, and forgets it.
  void RunAtCommit();

  void BeginPipeline();
  // Sends the sync point, reads every queued result and leaves pipeline
  // mode; throws the first error met.
  void EndPipeline();
  // After an error: reads and drops whatever is queued, leaves pipeline
  // mode and rolls back the transaction. Never throws; the connection may
  // be found lost.
  void AbandonPipeline();
  bool in_pipeline() const { return pipeline_; }

  // Statements other than SELECT sent since the connection opened (a job
  // that sent none has nothing to undo).
  uint64_t writes() const { return writes_; }
  // The connection is gone (its server stopped or the network failed).
  bool lost() const { return PQstatus(conn_) == CONNECTION_BAD; }
  PGconn* handle() const { return conn_; }

 private:
  // Results a pipeline may hold unread before Run() reads them: the
  // server answers while we send, and both sides' buffers are bounded.
  static constexpr size_t kDrainEvery = 256;

  struct Prepared {
    std::string name;
    bool select = false;
  };

  explicit PgConn(PGconn* conn) : conn_(conn) {}
  PgRows Execute(const char* sql, std::vector<PgParam> params, bool want);
  void Send(const char* sql, const std::vector<PgParam>& params);
  // Reads queued results until none is left; with `keep_last`, returns
  // the last one (the caller's).
  PgRows Collect(bool keep_last);
  void Flush();
  [[noreturn]] void Fail(const std::string& context, PGresult* result = nullptr) const;

  PGconn* conn_;
  std::unordered_map<const char*, Prepared> statements_;
  uint64_t next_statement_ = 0;
  bool pipeline_ = false;
  // Statements sent whose results are unread, in order: the SQL of a
  // prepare, null for an execution.
  std::deque<const char*> pending_;
  uint64_t writes_ = 0;
  struct Deferred {
    const char* sql;
    std::vector<PgParam> params;
  };
  std::vector<Deferred> at_commit_;
};

// Whether `uri` names a PostgreSQL database (postgresql:// or postgres://).
bool IsPostgresUri(std::string_view uri);

// Checks the URI's syntax without connecting; an empty string or why not.
std::string CheckPostgresUri(const std::string& uri);

// The URI without its password, for messages and logs.
std::string RedactUri(const std::string& uri);

}  // namespace caucus::store
