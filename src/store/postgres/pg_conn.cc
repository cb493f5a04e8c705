#include "store/postgres/pg_conn.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <optional>

namespace caucus::store {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One line: libpq's messages span several ("...failed: Connection
// refused\n\tIs the server running...").
std::string OneLine(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The server's primary message of an error result. Its DETAIL is left
// out: for a unique violation it quotes the row's key (a receipt, say),
// which must not reach a log.
std::string ErrorText(const PGresult* r, PGconn* conn) {
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  if (primary && *primary) return OneLine(primary);
  const char* message = PQresultErrorMessage(r);
  return OneLine(message && *message ? message : PQerrorMessage(conn));
}

// A plain SELECT changes nothing (a WITH may: it counts as a write).
bool StartsWithSelect(const char* sql) {
  while (*sql == ' ' || *sql == '\n') ++sql;
  return std::string_view(sql).substr(0, 6) == "SELECT";
}

}  // namespace

int64_t PgRows::Int(int row, int col) const {
  return std::strtoll(PQgetvalue(result_.get(), row, col), nullptr, 10);
}

std::string PgRows::Bytea(int row, int col) const {
  const char* p = PQgetvalue(result_.get(), row, col);
  const int n = PQgetlength(result_.get(), row, col);
  std::string out;
  if (n < 2 || p[0] != '\\' || p[1] != 'x') return out;
  out.reserve((n - 2) / 2);
  for (int i = 2; i + 1 < n; i += 2) {
    const int hi = HexValue(p[i]), lo = HexValue(p[i + 1]);
    if (hi < 0 || lo < 0) break;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

int64_t PgRows::affected() const {
  const char* n = PQcmdTuples(result_.get());
  return *n ? std::strtoll(n, nullptr, 10) : 0;
}

std::unique_ptr<PgConn> PgConn::Open(const std::string& uri) {
  // Defaults first: the URI, expanded last, overrides any of them.
  const char* keys[] = {"connect_timeout",     "keepalives",       "keepalives_idle",
                        "keepalives_interval", "keepalives_count", "application_name",
                        "client_encoding",     "dbname",           nullptr};
  const char* values[] = {"10", "1", "10", "5", "3", "caucusd", "UTF8", uri.c_str(), nullptr};
  PGconn* raw = PQconnectdbParams(keys, values, 1);
  if (raw == nullptr) throw PgError("", "out of memory", true);
  std::unique_ptr<PgConn> conn(new PgConn(raw));
  if (PQstatus(raw) != CONNECTION_OK) conn->Fail("connect to " + RedactUri(uri));
  // Notices ("relation ... already exists, skipping") are for debugging,
  // not for the operator's terminal.
  PQsetNoticeProcessor(
      raw, [](void*, const char* message) { spdlog::debug("store: postgresql: {}", message); },
      nullptr);
  conn->Exec("SET bytea_output = 'hex'");
  // An acknowledged write must be on disk: a server configured to answer
  // commits before their WAL is flushed is overruled for our sessions
  // (stronger settings, remote_write and up, are kept).
  auto sync = conn->Query("SELECT current_setting('synchronous_commit')");
  const std::string level = sync.Text(0, 0);
  if (level == "off" || level == "local") conn->Exec("SET synchronous_commit = on");
  return conn;
}

PgConn::~PgConn() { PQfinish(conn_); }

void PgConn::Exec(const char* sql) {
  PGresult* r = PQexec(conn_, sql);
  const ExecStatusType status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) Fail(sql, r);
  PQclear(r);
}

void PgConn::Send(const char* sql, const std::vector<PgParam>& params) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    Prepared p{"s" + std::to_string(++next_statement_), StartsWithSelect(sql)};
    if (pipeline_) {
      if (!PQsendPrepare(conn_, p.name.c_str(), sql, 0, nullptr)) Fail(sql);
      pending_.push_back(sql);
    } else {
      PGresult* r = PQprepare(conn_, p.name.c_str(), sql, 0, nullptr);
      if (PQresultStatus(r) != PGRES_COMMAND_OK) Fail(sql, r);
      PQclear(r);
    }
    it = statements_.emplace(sql, std::move(p)).first;
  }
  if (!it->second.select) ++writes_;
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size()), formats(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    values[i] = params[i].null ? nullptr : params[i].value.data();
    lengths[i] = static_cast<int>(params[i].value.size());
    formats[i] = params[i].binary ? 1 : 0;
  }
  if (!PQsendQueryPrepared(conn_, it->second.name.c_str(), static_cast<int>(params.size()),
                           values.data(), lengths.data(), formats.data(), 0)) {
    Fail(sql);
  }
  pending_.push_back(nullptr);
}

void PgConn::RunWith(const char* sql, const std::vector<PgParam>& params) {
  Send(sql, params);
  if (!pipeline_) {
    Collect(true);
  } else if (pending_.size() >= kDrainEvery) {
    Flush();
    Collect(false);
  }
}

PgRows PgConn::Execute(const char* sql, std::vector<PgParam> params, bool want) {
  Send(sql, params);
  if (pipeline_) Flush();
  return Collect(want);
}

void PgConn::Flush() {
  if (!PQsendFlushRequest(conn_) || PQflush(conn_) != 0) Fail("flush");
}

PgRows PgConn::Collect(bool keep_last) {
  std::optional<PgError> error;
  PGresult* last = nullptr;
  while (!pending_.empty()) {
    const char* preparing = pending_.front();
    pending_.pop_front();
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) {
      if (!error) error.emplace("", OneLine(PQerrorMessage(conn_)), lost());
      if (preparing) statements_.erase(preparing);
      continue;
    }
    // A statement's result ends with a null result.
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    const ExecStatusType status = PQresultStatus(r);
    const bool good = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!good && preparing) statements_.erase(preparing);
    if (status == PGRES_FATAL_ERROR && !error) {
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      error.emplace(state ? state : "", ErrorText(r, conn_), lost());
    } else if (!good && status != PGRES_PIPELINE_ABORTED && !error) {
      error.emplace("", std::string("unexpected result: ") + PQresStatus(status), lost());
    }
    if (keep_last && pending_.empty() && good && !preparing) {
      last = r;
    } else {
      PQclear(r);
    }
  }
  if (lost()) {
    pending_.clear();
    statements_.clear();
  }
  if (error) {
    if (last) PQclear(last);
    throw *error;
  }
  if (keep_last && last == nullptr) throw PgError("", "no result", lost());
  return PgRows(last);
}

void PgConn::RunAtCommit() {
  std::vector<Deferred> queued;
  queued.swap(at_commit_);
  for (const Deferred& d : queued) RunWith(d.sql, d.params);
}

void PgConn::BeginPipeline() {
  if (!PQenterPipelineMode(conn_)) Fail("enter pipeline mode");
  pipeline_ = true;
}

void PgConn::EndPipeline() {
  if (!PQpipelineSync(conn_)) Fail("pipeline sync");
  std::optional<PgError> error;
  try {
    Collect(false);
  } catch (const PgError& e) {
    error = e;
  }
  PGresult* sync = PQgetResult(conn_);
  const bool synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  if (!error && !synced) error.emplace("", "pipeline: no sync point", lost());
  if (synced) PQexitPipelineMode(conn_);
  pipeline_ = PQpipelineStatus(conn_) != PQ_PIPELINE_OFF;
  if (error) throw *error;
}

void PgConn::AbandonPipeline() {
  if (pipeline_ && !lost()) {
    if (PQpipelineSync(conn_)) {
      int nulls = 0;
      while (nulls < 3 && !lost()) {
        PGresult* r = PQgetResult(conn_);
        if (r == nullptr) {
          ++nulls;
          continue;
        }
        nulls = 0;
        const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        if (sync) break;
      }
    }
    PQexitPipelineMode(conn_);
  }
  pipeline_ = lost() ? false : PQpipelineStatus(conn_) != PQ_PIPELINE_OFF;
  pending_.clear();
  // Statements prepared in the abandoned pipeline may not exist.
  statements_.clear();
  if (!lost() && !pipeline_ && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    PGresult* r = PQexec(conn_, "ROLLBACK");
    PQclear(r);
  }
  if (!lost()) {
    // Forget the server's side of the prepared statements too.
    PGresult* r = PQexec(conn_, "DEALLOCATE ALL");
    PQclear(r);
  }
}

void PgConn::Fail(const std::string& context, PGresult* result) const {
  std::string state;
  std::string message;
  if (result != nullptr) {
    if (const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE)) state = s;
    message = ErrorText(result, conn_);
    PQclear(result);
  }
  if (message.empty()) message = OneLine(PQerrorMessage(conn_));
  throw PgError(state, message + " (" + OneLine(context) + ")", lost());
}

bool IsPostgresUri(std::string_view uri) {
  return uri.substr(0, 13) == "postgresql://" || uri.substr(0, 11) == "postgres://";
}

std::string CheckPostgresUri(const std::string& uri) {
  if (!IsPostgresUri(uri)) return "expected a postgresql:// or postgres:// URI";
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (options == nullptr) {
    std::string why = OneLine(error ? error : "not a valid connection URI");
    PQfreemem(error);
    return why;
  }
  PQconninfoFree(options);
  return {};
}

std::string RedactUri(const std::string& uri) {
  // scheme://user:password@host...: the password goes.
  const size_t scheme = uri.find("://");
  if (scheme == std::string::npos) return uri;
  const size_t at = uri.find('@', scheme + 3);
  const size_t colon = uri.find(':', scheme + 3);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon + 1) + "***" + uri.substr(at);
}

}  // namespace caucus::store
