#include "store/sqlite/schema.h"

#include <string>

namespace caucus::store {
namespace {

// Each entry moves the schema from version i to i + 1. Never edit an entry
// that has shipped; append a new one.
//
// Secrecy of ballots: poll_voters says who voted, ballots says what was
// chosen; neither has a timestamp or a rowid (WITHOUT ROWID tables ordered
// by their keys: voters by account, ballots by a random receipt), and no
// column links one to the other. See docs/voting.md.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE accounts(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  admin INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  last_login_ms INTEGER NOT NULL DEFAULT 0);
CREATE TABLE tokens(
  hash BLOB PRIMARY KEY,
  account_id INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX tokens_by_account ON tokens(account_id);
CREATE TABLE login_history(
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  address TEXT NOT NULL,
  event TEXT NOT NULL);
CREATE INDEX login_history_by_time ON login_history(time_ms);
CREATE TABLE lockouts(
  account_id INTEGER NOT NULL,
  address TEXT NOT NULL,
  failures INTEGER NOT NULL,
  locked_until_ms INTEGER NOT NULL,
  last_failure_ms INTEGER NOT NULL,
  PRIMARY KEY(account_id, address)) WITHOUT ROWID;
CREATE TABLE blocks(
  blocker INTEGER NOT NULL,
  blocked INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY(blocker, blocked)) WITHOUT ROWID;
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  sender INTEGER NOT NULL,
  recipient INTEGER NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX messages_by_time ON messages(time_ms);
CREATE INDEX messages_by_pair ON messages(sender, recipient, id);
CREATE TABLE offline_queue(
  recipient INTEGER NOT NULL,
  message_id INTEGER NOT NULL,
  PRIMARY KEY(recipient, message_id)) WITHOUT ROWID;
CREATE TABLE posts(
  number INTEGER PRIMARY KEY AUTOINCREMENT,
  author INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  edited_ms INTEGER NOT NULL DEFAULT 0,
  text TEXT NOT NULL);
CREATE INDEX posts_by_created ON posts(created_ms);
CREATE INDEX posts_by_edited ON posts(edited_ms);
CREATE TABLE polls(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  flags TEXT NOT NULL,
  max_choices INTEGER NOT NULL DEFAULT 1,
  state INTEGER NOT NULL,
  opens_ms INTEGER NOT NULL,
  closes_ms INTEGER NOT NULL,
  close_after_s INTEGER NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE poll_options(
  poll INTEGER NOT NULL,
  number INTEGER NOT NULL,
  label TEXT NOT NULL,
  PRIMARY KEY(poll, number)) WITHOUT ROWID;
CREATE TABLE poll_roll(
  poll INTEGER NOT NULL,
  account_id INTEGER NOT NULL,
  PRIMARY KEY(poll, account_id)) WITHOUT ROWID;
CREATE TABLE poll_voters(
  poll INTEGER NOT NULL,
  account_id INTEGER NOT NULL,
  PRIMARY KEY(poll, account_id)) WITHOUT ROWID;
CREATE TABLE ballots(
  poll INTEGER NOT NULL,
  receipt TEXT NOT NULL,
  choice INTEGER NOT NULL,
  PRIMARY KEY(poll, receipt, choice)) WITHOUT ROWID;
CREATE TABLE revote_links(
  poll INTEGER NOT NULL,
  voter_tag BLOB NOT NULL,
  sealed_receipt BLOB NOT NULL,
  PRIMARY KEY(poll, voter_tag)) WITHOUT ROWID;
CREATE TABLE audit(
  id INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL);
CREATE TABLE changes(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  origin TEXT NOT NULL);
)sql",
    // 2: blocks of message ids reserved by the nodes of a deployment.
    R"sql(
CREATE TABLE id_blocks(
  kind TEXT PRIMARY KEY,
  next INTEGER NOT NULL) WITHOUT ROWID;
)sql",
    // 3: the heartbeats of the nodes of a deployment.
    R"sql(
CREATE TABLE nodes(
  id TEXT PRIMARY KEY,
  incarnation TEXT NOT NULL,
  beat_ms INTEGER NOT NULL) WITHOUT ROWID;
)sql",
};

int CurrentVersion(Db& db) {
  db.Exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
  auto q = db.Query("SELECT max(version) FROM schema_version");
  return q.Step() && !q.IsNull(0) ? static_cast<int>(q.Int(0)) : 0;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

void Migrate(Db& db) {
  // Each step reads the version inside its own write transaction, so two
  // processes starting together (the server and the command line) never
  // apply the same step twice.
  while (true) {
    db.Exec("BEGIN IMMEDIATE");
    try {
      const int current = CurrentVersion(db);
      if (current > LatestSchemaVersion()) {
        throw SqliteError(SQLITE_ERROR, "the database has schema version " +
                                            std::to_string(current) + ", newer than this build's " +
                                            std::to_string(LatestSchemaVersion()));
      }
      if (current == LatestSchemaVersion()) {
        db.Exec("COMMIT");
        return;
      }
      db.Exec(kMigrations[current]);
      db.Run("INSERT INTO schema_version(version) VALUES(?)", current + 1);
      db.Exec("COMMIT");
    } catch (...) {
      db.Exec("ROLLBACK");
      throw;
    }
  }
}

}  // namespace caucus::store
