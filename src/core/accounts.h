// Accounts: REGISTER, LOGIN, RESUME, PASSWORD, LOGOUT, and the password
// checks that VOTE and RESULTS ask for (PROTOCOL.md "Accounts and sessions").
//
// Every method answers through `done`, on the event loop, exactly once,
// unless the session has ended meanwhile (then possibly never). Password
// hashing runs on the PasswordHasher's workers; nothing here blocks.
//
// Thread-safety: event loop thread only.
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <unordered_set>

#include "core/outcome.h"
#include "core/rate_limit.h"
#include "core/session.h"
#include "core/world.h"

namespace caucus::core {

using SessionRef = std::shared_ptr<Session>;

class Accounts {
 public:
  // REQUIRES: world.config.email_domain is a valid regular expression.
  explicit Accounts(World& world);

  struct Registered {
    std::string name;
    std::string generated_password;  // empty unless the server generates passwords
  };
  void Register(SessionRef s, std::string name, std::optional<std::string> password,
                Reply<Registered> done);
  // An account made by the operator (`caucusd users add` and `import`, a
  // poll's voters file): REGISTER's rules for names and passwords, whatever
  // the registration policy and the per-address limits. Answers its id.
  void Create(std::string name, std::string password, bool admin, Reply<AccountId> done);

  struct LoggedIn {
    std::string name;
    std::string token;
  };
  void Login(SessionRef s, std::string name, std::string password, Reply<LoggedIn> done);
  // Answers the account's name.
  void Resume(SessionRef s, std::string token, Reply<std::string> done);
  void ChangePassword(SessionRef s, std::string old_password, std::string new_password,
                      Reply<Ok> done);
  // Checks the logged-in session's password again; wrong ones count
  // towards the lockout like LOGIN's (`verb` names the command in logs).
  void Reauthenticate(SessionRef s, std::string password, Reply<Ok> done);
  // Revokes the session's token; the caller then closes the connection.
  void Logout(SessionRef s, Reply<Ok> done);

  // The session's connection has ended (`why` goes to the login history);
  // with `revoke`, its token dies too (idle timeout, lock, replacement).
  // `revoked` (may be null) runs once the revocation is durable, at once
  // when there is none.
  void SessionEnded(Session& s, const std::string& why, bool revoke,
                    std::function<void()> revoked = nullptr);

  // Forgets the rate-limit counters of addresses that went quiet.
  void Purge(TimeMs now);

  // True when `name` passes the registration rules other than uniqueness.
  // Sets `*failure` otherwise.
  bool CheckNewName(const std::string& name, Failure* failure) const;

 private:
  // LOGIN once the account is known: the lock, the address's guesses, the
  // password, then the multi-login policy (docs/protocol.md).
  void CheckPassword(SessionRef s, Account& account, std::string password, Reply<LoggedIn> done);
  // Hashes the password and stores the account under the reserved `key`
  // (released whatever happens); answers the new id.
  void Insert(std::string name, std::string key, std::string password, bool admin,
              Reply<AccountId> done);
  // Counts a wrong password for the session's address and answers
  // AUTH_FAILED or, when the limit is reached, LOCKED with BYE LOCKED.
  template <class T>
  void WrongPassword(const SessionRef& s, AccountId id, Reply<T> done);
  // Fetches the hash and verifies `password` on the workers; `next` gets
  // the verdict on the loop.
  void Verify(AccountId id, std::string password,
              std::function<void(std::optional<Verification>)> next);
  void Rehash(AccountId id, std::string password);
  // Makes the session logged in as `account`; applies the multi-login policy.
  void Attach(Session& s, Account& account, std::string token_hash, TimeMs now);
  bool RefusedAsOnline(const Account& account) const;
  void Revoke(const std::string& token_hash, std::function<void(bool)> done);
  std::optional<Failure> LockedFailure(const Session& s, AccountId id) const;

  World& w_;
  std::regex email_domain_;
  // Tokens whose revocation is not yet committed: RESUME refuses them.
  std::unordered_set<std::string> revoking_;
  WindowCounter registrations_;  // per address, per hour
  WindowCounter failed_logins_;  // per address, per minute, across accounts
};

}  // namespace caucus::core
