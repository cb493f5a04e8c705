// PgStore: accounts, tokens, login history and lockouts.
#include <cctype>

#include "store/postgres/pg_store.h"

namespace caucus::store {
namespace {

std::string Fold(std::string_view name) {
  std::string key(name);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

// The columns ReadAccount reads, in its order.
#define CAUCUS_PG_ACCOUNT_COLUMNS                       \
  "id, name, admin, created_ms, last_login_ms, EXISTS(" \
  "SELECT 1 FROM offline_queue o WHERE o.recipient = accounts.id)"

AccountRecord ReadAccount(const PgRows& r, int row) {
  return AccountRecord{r.Int(row, 0), r.Text(row, 1), r.Bool(row, 2),
                       r.Int(row, 3), r.Int(row, 4),  r.Bool(row, 5)};
}

}  // namespace

void PgStore::CreateAccount(NewAccount account, Callback<AccountId> done) {
  WriteOp<AccountId>(
      [this, a = std::move(account)](PgConn& conn) -> Result<AccountId> {
        auto r = conn.Query(
            "INSERT INTO accounts(name, name_key, password_hash, admin, created_ms) "
            "VALUES($1, $2, $3, $4, $5) RETURNING id",
            a.name, Fold(a.name), a.password_hash, a.admin, a.created_ms);
        const AccountId id = r.Int(0, 0);
        NoteChangeIn(conn, "account", std::to_string(id));
        return id;
      },
      std::move(done));
}

void PgStore::LoadAccounts(Callback<std::vector<AccountRecord>> done) {
  ReadOp<std::vector<AccountRecord>>(
      [](PgConn& conn) -> Result<std::vector<AccountRecord>> {
        std::vector<AccountRecord> out;
        auto r = conn.Query("SELECT " CAUCUS_PG_ACCOUNT_COLUMNS " FROM accounts ORDER BY id");
        for (int i = 0; i < r.size(); ++i) out.push_back(ReadAccount(r, i));
        return out;
      },
      std::move(done));
}

void PgStore::LoadAccount(AccountId id, Callback<AccountRecord> done) {
  ReadOp<AccountRecord>(
      [id](PgConn& conn) -> Result<AccountRecord> {
        auto r = conn.Query("SELECT " CAUCUS_PG_ACCOUNT_COLUMNS " FROM accounts WHERE id = $1", id);
        if (r.size() == 0) return Status::NotFound();
        return ReadAccount(r, 0);
      },
      std::move(done));
}

void PgStore::PasswordHash(AccountId id, Callback<std::string> done) {
  ReadOp<std::string>(
      [id](PgConn& conn) -> Result<std::string> {
        auto r = conn.Query("SELECT password_hash FROM accounts WHERE id = $1", id);
        if (r.size() == 0) return Status::NotFound();
        return r.Text(0, 0);
      },
      std::move(done));
}

void PgStore::SetPasswordHash(AccountId id, std::string hash, bool revoke_tokens,
                              Callback<Done> done) {
  WriteOp<Done>(
      [id, hash = std::move(hash), revoke_tokens](PgConn& conn) -> Result<Done> {
        if (conn.Command("UPDATE accounts SET password_hash = $1 WHERE id = $2", hash, id) == 0) {
          return Status::NotFound();
        }
        if (revoke_tokens) conn.Run("DELETE FROM tokens WHERE account_id = $1", id);
        return Done{};
      },
      std::move(done));
}

void PgStore::SetAdmin(std::string name, bool admin, Callback<Done> done) {
  WriteOp<Done>(
      [this, name = std::move(name), admin](PgConn& conn) -> Result<Done> {
        auto r = conn.Query("SELECT id FROM accounts WHERE name_key = $1", Fold(name));
        if (r.size() == 0) return Status::NotFound();
        const AccountId id = r.Int(0, 0);
        conn.Run("UPDATE accounts SET admin = $1 WHERE id = $2", admin, id);
        NoteChangeIn(conn, "account", std::to_string(id));
        return Done{};
      },
      std::move(done));
}

void PgStore::GrantToken(TokenGrant grant, LoginEvent event, Callback<Done> done) {
  WriteOp<Done>(
      [g = std::move(grant), e = std::move(event)](PgConn& conn) -> Result<Done> {
        conn.Run(
            "INSERT INTO tokens(hash, account_id, created_ms, expires_ms) VALUES($1, $2, $3, $4)",
            Bytes{g.token_hash}, g.account, g.created_ms, g.expires_ms);
        conn.Run(
            "INSERT INTO login_history(account_id, time_ms, address, event) "
            "VALUES($1, $2, $3, $4)",
            e.account, e.time_ms, e.address, e.event);
        conn.Run("UPDATE accounts SET last_login_ms = $1 WHERE id = $2", e.time_ms, e.account);
        // Expired tokens of this account go at the same time, so the table stays small.
        conn.Run("DELETE FROM tokens WHERE account_id = $1 AND expires_ms <= $2", g.account,
                 g.created_ms);
        return Done{};
      },
      std::move(done));
}

void PgStore::FindToken(std::string token_hash, TimeMs now_ms, Callback<AccountId> done) {
  ReadOp<AccountId>(
      [h = std::move(token_hash), now_ms](PgConn& conn) -> Result<AccountId> {
        auto r = conn.Query("SELECT account_id FROM tokens WHERE hash = $1 AND expires_ms > $2",
                            Bytes{h}, now_ms);
        if (r.size() == 0) return Status::NotFound();
        return r.Int(0, 0);
      },
      std::move(done));
}

void PgStore::RevokeToken(std::string token_hash, Callback<Done> done) {
  WriteOp<Done>(
      [h = std::move(token_hash)](PgConn& conn) -> Result<Done> {
        conn.Run("DELETE FROM tokens WHERE hash = $1", Bytes{h});
        return Done{};
      },
      std::move(done));
}

void PgStore::RecordLogin(LoginEvent event, bool sets_last_login, Callback<Done> done) {
  WriteOp<Done>(
      [e = std::move(event), sets_last_login](PgConn& conn) -> Result<Done> {
        conn.Run(
            "INSERT INTO login_history(account_id, time_ms, address, event) "
            "VALUES($1, $2, $3, $4)",
            e.account, e.time_ms, e.address, e.event);
        if (sets_last_login) {
          conn.Run("UPDATE accounts SET last_login_ms = $1 WHERE id = $2", e.time_ms, e.account);
        }
        return Done{};
      },
      std::move(done));
}

void PgStore::LoginHistory(TimeMs since_ms, int limit, Callback<std::vector<LoginEvent>> done) {
  ReadOp<std::vector<LoginEvent>>(
      [since_ms, limit](PgConn& conn) -> Result<std::vector<LoginEvent>> {
        std::vector<LoginEvent> out;
        auto r = conn.Query(
            "SELECT account_id, time_ms, address, event FROM login_history WHERE time_ms >= $1 "
            "ORDER BY id LIMIT $2",
            since_ms, limit);
        for (int i = 0; i < r.size(); ++i) {
          out.push_back({r.Int(i, 0), r.Int(i, 1), r.Text(i, 2), r.Text(i, 3)});
        }
        return out;
      },
      std::move(done));
}

void PgStore::SaveLockout(LockoutRecord record, Callback<Done> done) {
  WriteOp<Done>(
      [r = std::move(record)](PgConn& conn) -> Result<Done> {
        if (r.failures == 0 && r.locked_until_ms == 0) {
          conn.Run("DELETE FROM lockouts WHERE account_id = $1 AND address = $2", r.account,
                   r.address);
        } else {
          conn.Run(
              "INSERT INTO lockouts(account_id, address, failures, locked_until_ms, "
              "last_failure_ms) VALUES($1, $2, $3, $4, $5) ON CONFLICT (account_id, address) DO "
              "UPDATE SET failures = excluded.failures, locked_until_ms = "
              "excluded.locked_until_ms, "
              "last_failure_ms = excluded.last_failure_ms",
              r.account, r.address, r.failures, r.locked_until_ms, r.last_failure_ms);
        }
        return Done{};
      },
      std::move(done));
}

void PgStore::LoadLockouts(Callback<std::vector<LockoutRecord>> done) {
  ReadOp<std::vector<LockoutRecord>>(
      [](PgConn& conn) -> Result<std::vector<LockoutRecord>> {
        std::vector<LockoutRecord> out;
        auto r = conn.Query(
            "SELECT account_id, address, failures, locked_until_ms, last_failure_ms FROM lockouts");
        for (int i = 0; i < r.size(); ++i) {
          out.push_back(
              {r.Int(i, 0), r.Text(i, 1), static_cast<int>(r.Int(i, 2)), r.Int(i, 3), r.Int(i, 4)});
        }
        return out;
      },
      std::move(done));
}

}  // namespace caucus::store
