// SqliteStore: accounts, tokens, login history and lockouts.
#include <cctype>

#include "store/sqlite/sqlite_store.h"

namespace caucus::store {
namespace {

std::string Fold(std::string_view name) {
  std::string key(name);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

// The columns ReadAccount reads, in its order.
#define CAUCUS_ACCOUNT_COLUMNS                          \
  "id, name, admin, created_ms, last_login_ms, EXISTS(" \
  "SELECT 1 FROM offline_queue o WHERE o.recipient = accounts.id)"

AccountRecord ReadAccount(const Cursor& q) {
  return AccountRecord{q.Int(0), q.Text(1), q.Int(2) != 0, q.Int(3), q.Int(4), q.Int(5) != 0};
}

}  // namespace

void SqliteStore::CreateAccount(NewAccount account, Callback<AccountId> done) {
  WriteOp<AccountId>(
      [this, a = std::move(account)](Db& db) -> Result<AccountId> {
        db.Run(
            "INSERT INTO accounts(name, name_key, password_hash, admin, created_ms) "
            "VALUES(?, ?, ?, ?, ?)",
            a.name, Fold(a.name), a.password_hash, a.admin, a.created_ms);
        const AccountId id = db.LastInsertRowid();
        NoteChangeIn(db, "account", std::to_string(id));
        return id;
      },
      std::move(done));
}

void SqliteStore::LoadAccounts(Callback<std::vector<AccountRecord>> done) {
  ReadOp<std::vector<AccountRecord>>(
      [](Db& db) -> Result<std::vector<AccountRecord>> {
        std::vector<AccountRecord> out;
        auto q = db.Query("SELECT " CAUCUS_ACCOUNT_COLUMNS " FROM accounts ORDER BY id");
        while (q.Step()) out.push_back(ReadAccount(q));
        return out;
      },
      std::move(done));
}

void SqliteStore::LoadAccount(AccountId id, Callback<AccountRecord> done) {
  ReadOp<AccountRecord>(
      [id](Db& db) -> Result<AccountRecord> {
        auto q = db.Query("SELECT " CAUCUS_ACCOUNT_COLUMNS " FROM accounts WHERE id = ?", id);
        if (!q.Step()) return Status::NotFound();
        return ReadAccount(q);
      },
      std::move(done));
}

void SqliteStore::PasswordHash(AccountId id, Callback<std::string> done) {
  ReadOp<std::string>(
      [id](Db& db) -> Result<std::string> {
        auto q = db.Query("SELECT password_hash FROM accounts WHERE id = ?", id);
        if (!q.Step()) return Status::NotFound();
        return q.Text(0);
      },
      std::move(done));
}

void SqliteStore::SetPasswordHash(AccountId id, std::string hash, bool revoke_tokens,
                                  Callback<Done> done) {
  WriteOp<Done>(
      [id, hash = std::move(hash), revoke_tokens](Db& db) -> Result<Done> {
        db.Run("UPDATE accounts SET password_hash = ? WHERE id = ?", hash, id);
        if (db.Changes() == 0) return Status::NotFound();
        if (revoke_tokens) db.Run("DELETE FROM tokens WHERE account_id = ?", id);
        return Done{};
      },
      std::move(done));
}

void SqliteStore::SetAdmin(std::string name, bool admin, Callback<Done> done) {
  WriteOp<Done>(
      [this, name = std::move(name), admin](Db& db) -> Result<Done> {
        auto q = db.Query("SELECT id FROM accounts WHERE name_key = ?", Fold(name));
        if (!q.Step()) return Status::NotFound();
        const AccountId id = q.Int(0);
        db.Run("UPDATE accounts SET admin = ? WHERE id = ?", admin, id);
        NoteChangeIn(db, "account", std::to_string(id));
        return Done{};
      },
      std::move(done));
}

void SqliteStore::GrantToken(TokenGrant grant, LoginEvent event, Callback<Done> done) {
  WriteOp<Done>(
      [g = std::move(grant), e = std::move(event)](Db& db) -> Result<Done> {
        db.Run("INSERT INTO tokens(hash, account_id, created_ms, expires_ms) VALUES(?, ?, ?, ?)",
               BlobRef{g.token_hash}, g.account, g.created_ms, g.expires_ms);
        db.Run("INSERT INTO login_history(account_id, time_ms, address, event) VALUES(?, ?, ?, ?)",
               e.account, e.time_ms, e.address, e.event);
        db.Run("UPDATE accounts SET last_login_ms = ? WHERE id = ?", e.time_ms, e.account);
        // Expired tokens of this account go at the same time, so the table stays small.
        db.Run("DELETE FROM tokens WHERE account_id = ? AND expires_ms <= ?", g.account,
               g.created_ms);
        return Done{};
      },
      std::move(done));
}

void SqliteStore::FindToken(std::string token_hash, TimeMs now_ms, Callback<AccountId> done) {
  ReadOp<AccountId>(
      [h = std::move(token_hash), now_ms](Db& db) -> Result<AccountId> {
        auto q = db.Query("SELECT account_id FROM tokens WHERE hash = ? AND expires_ms > ?",
                          BlobRef{h}, now_ms);
        if (!q.Step()) return Status::NotFound();
        return q.Int(0);
      },
      std::move(done));
}

void SqliteStore::RevokeToken(std::string token_hash, Callback<Done> done) {
  WriteOp<Done>(
      [h = std::move(token_hash)](Db& db) -> Result<Done> {
        db.Run("DELETE FROM tokens WHERE hash = ?", BlobRef{h});
        return Done{};
      },
      std::move(done));
}

void SqliteStore::RecordLogin(LoginEvent event, bool sets_last_login, Callback<Done> done) {
  WriteOp<Done>(
      [e = std::move(event), sets_last_login](Db& db) -> Result<Done> {
        db.Run("INSERT INTO login_history(account_id, time_ms, address, event) VALUES(?, ?, ?, ?)",
               e.account, e.time_ms, e.address, e.event);
        if (sets_last_login) {
          db.Run("UPDATE accounts SET last_login_ms = ? WHERE id = ?", e.time_ms, e.account);
        }
        return Done{};
      },
      std::move(done));
}

void SqliteStore::LoginHistory(TimeMs since_ms, int limit, Callback<std::vector<LoginEvent>> done) {
  ReadOp<std::vector<LoginEvent>>(
      [since_ms, limit](Db& db) -> Result<std::vector<LoginEvent>> {
        std::vector<LoginEvent> out;
        auto q = db.Query(
            "SELECT account_id, time_ms, address, event FROM login_history WHERE time_ms >= ? "
            "ORDER BY id LIMIT ?",
            since_ms, limit);
        while (q.Step()) out.push_back({q.Int(0), q.Int(1), q.Text(2), q.Text(3)});
        return out;
      },
      std::move(done));
}

void SqliteStore::SaveLockout(LockoutRecord r, Callback<Done> done) {
  WriteOp<Done>(
      [r = std::move(r)](Db& db) -> Result<Done> {
        if (r.failures == 0 && r.locked_until_ms == 0) {
          db.Run("DELETE FROM lockouts WHERE account_id = ? AND address = ?", r.account, r.address);
        } else {
          db.Run(
              "INSERT OR REPLACE INTO lockouts(account_id, address, failures, locked_until_ms, "
              "last_failure_ms) VALUES(?, ?, ?, ?, ?)",
              r.account, r.address, r.failures, r.locked_until_ms, r.last_failure_ms);
        }
        return Done{};
      },
      std::move(done));
}

void SqliteStore::LoadLockouts(Callback<std::vector<LockoutRecord>> done) {
  ReadOp<std::vector<LockoutRecord>>(
      [](Db& db) -> Result<std::vector<LockoutRecord>> {
        std::vector<LockoutRecord> out;
        auto q = db.Query(
            "SELECT account_id, address, failures, locked_until_ms, last_failure_ms FROM lockouts");
        while (q.Step()) {
          out.push_back({q.Int(0), q.Text(1), static_cast<int>(q.Int(2)), q.Int(3), q.Int(4)});
        }
        return out;
      },
      std::move(done));
}

}  // namespace caucus::store
