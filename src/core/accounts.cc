#include "core/accounts.h"

#include <spdlog/spdlog.h>

#include "core/peer.h"
#include "core/secrets.h"
#include "protocol/names.h"

namespace caucus::core {

using protocol::Code;

namespace {

Failure Internal(std::string why) {
  spdlog::error("accounts: {}", why);
  return Fail(Code::kInternal);
}

}  // namespace

Accounts::Accounts(World& world)
    : w_(world),
      email_domain_(world.config.email_domain,
                    std::regex::ECMAScript | std::regex::icase | std::regex::optimize),
      registrations_(world.config.registrations_per_hour, 3'600'000),
      failed_logins_(world.config.failed_logins_per_minute, 60'000) {}

void Accounts::Purge(TimeMs now) {
  registrations_.Purge(now);
  failed_logins_.Purge(now);
}

bool Accounts::CheckNewName(const std::string& name, Failure* failure) const {
  if (!protocol::IsValidName(name)) {
    *failure = Fail(Code::kBadName);
    return false;
  }
  if (w_.config.registration == Registration::kEmail) {
    const size_t at = name.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 == name.size() ||
        !std::regex_match(name.begin() + at + 1, name.end(), email_domain_)) {
      *failure = Fail(Code::kDomainNotAllowed);
      return false;
    }
  }
  return true;
}

std::optional<Failure> Accounts::LockedFailure(const Session& s, AccountId id) const {
  const TimeMs left = w_.lockout.LockedFor(id, s.address, w_.clock.Now());
  if (left == 0) return std::nullopt;
  Failure f = Fail(Code::kLocked, {std::to_string(Lockout::SecondsLeft(left))});
  f.bye = protocol::Bye::kLocked;
  return f;
}

bool Accounts::RefusedAsOnline(const Account& account) const {
  return w_.config.multi_login == MultiLogin::kReject && account.online();
}

void Accounts::Register(SessionRef s, std::string name, std::optional<std::string> password,
                        Reply<Registered> done) {
  if (s->logged_in()) return done(Fail(Code::kAlreadyLoggedIn));
  if (w_.config.registration == Registration::kClosed) return done(Fail(Code::kRegistrationClosed));
  std::string generated;
  if (w_.config.generate_passwords) {
    if (password) return done(Fail(Code::kBadArguments));
    generated = NewPassword();
    password = generated;
  } else if (!password) {
    return done(Fail(Code::kBadArguments));
  }
  Failure failure;
  if (!CheckNewName(name, &failure)) return done(failure);
  if (password->size() < w_.config.min_password) return done(Fail(Code::kWeakPassword));
  std::string key = protocol::FoldName(name);
  if (w_.directory.Taken(key)) return done(Fail(Code::kNameTaken));
  if (!registrations_.Take(s->address, w_.clock.Now())) {
    spdlog::warn("s{} {}: too many registrations from this address", s->id, s->address);
    return done(Fail(Code::kRateLimited));
  }
  w_.directory.Reserve(key);
  Insert(name, std::move(key), std::move(*password), false,
         [s, name, generated = std::move(generated),
          done = std::move(done)](Outcome<AccountId> r) mutable {
           if (!r.ok()) return done(r.failure());
           spdlog::info("s{} registered {} from {}", s->id, name, s->address);
           done(Registered{name, std::move(generated)});
         });
}

void Accounts::Create(std::string name, std::string password, bool admin, Reply<AccountId> done) {
  Failure failure;
  if (!CheckNewName(name, &failure)) return done(failure);
  if (password.size() < w_.config.min_password) {
    Wipe(password);
    return done(Fail(Code::kWeakPassword));
  }
  std::string key = protocol::FoldName(name);
  if (w_.directory.Taken(key)) return done(Fail(Code::kNameTaken));
  w_.directory.Reserve(key);
  Insert(std::move(name), std::move(key), std::move(password), admin,
         [done = std::move(done)](Outcome<AccountId> r) { done(std::move(r)); });
}

void Accounts::Insert(std::string name, std::string key, std::string password, bool admin,
                      Reply<AccountId> done) {
  w_.hasher.Hash(std::move(password), [this, name = std::move(name), key = std::move(key), admin,
                                       done = std::move(done)](std::optional<std::string> hash) {
    if (!hash) {
      w_.directory.Release(key);
      return done(Internal("password hashing failed (out of memory?)"));
    }
    const TimeMs now = w_.clock.Now();
    w_.store.CreateAccount({name, *hash, admin, now},
                           [this, name, key, admin, now, done](store::Result<AccountId> r) {
                             w_.directory.Release(key);
                             if (r.status().conflict()) return done(Fail(Code::kNameTaken));
                             if (!r.ok())
                               return done(Internal("create account: " + r.status().message()));
                             w_.directory.Upsert({*r, name, admin, now, 0});
                             w_.Changed();
                             done(*r);
                           });
  });
}

void Accounts::Verify(AccountId id, std::string password,
                      std::function<void(std::optional<Verification>)> next) {
  w_.store.PasswordHash(id, [this, password = std::move(password),
                             next = std::move(next)](store::Result<std::string> hash) mutable {
    if (!hash.ok()) {
      spdlog::error("accounts: reading a password hash: {}", hash.status().message());
      Wipe(password);
      return next(std::nullopt);
    }
    w_.hasher.Verify(std::move(*hash), std::move(password),
                     [next = std::move(next)](Verification v) { next(v); });
  });
}

void Accounts::Rehash(AccountId id, std::string password) {
  w_.hasher.Hash(std::move(password), [this, id](std::optional<std::string> hash) {
    if (hash) w_.store.SetPasswordHash(id, std::move(*hash), false, nullptr);
  });
}

template <class T>
void Accounts::WrongPassword(const SessionRef& s, AccountId id, Reply<T> done) {
  // The count is saved before the answer, so that a crash cannot give a guess back.
  const TimeMs now = w_.clock.Now();
  failed_logins_.Add(s->address, now);
  if (!failed_logins_.Allowed(s->address, now)) {
    spdlog::warn("s{} {}: too many wrong passwords from this address", s->id, s->address);
  }
  w_.lockout.Fail(id, s->address, now,
                  [this, s, id, now, done = std::move(done)](Lockout::Verdict v, bool saved) {
                    if (!saved) return done(Fail(Code::kInternal));
                    w_.store.RecordLogin(
                        {id, now, s->address, v.locked ? "locked" : "wrong-password"}, false,
                        nullptr);
                    if (v.locked) {
                      spdlog::warn("s{} account {} locked for {}", s->id, id, s->address);
                      Failure f = Fail(Code::kLocked, {std::to_string(v.seconds_left)});
                      f.bye = protocol::Bye::kLocked;
                      return done(f);
                    }
                    done(Fail(Code::kAuthFailed, {std::to_string(v.attempts_left)}));
                  });
}

void Accounts::Login(SessionRef s, std::string name, std::string password, Reply<LoggedIn> done) {
  if (s->logged_in()) return done(Fail(Code::kAlreadyLoggedIn));
  w_.FindAccount(name, [this, s, password = std::move(password),
                        done = std::move(done)](Account* account) mutable {
    if (account == nullptr) return done(Fail(Code::kNoSuchUser));
    CheckPassword(std::move(s), *account, std::move(password), std::move(done));
  });
}

void Accounts::CheckPassword(SessionRef s, Account& account, std::string password,
                             Reply<LoggedIn> done) {
  if (s->ended) return;
  if (s->logged_in()) return done(Fail(Code::kAlreadyLoggedIn));
  const AccountId id = account.id;
  // A locked key is refused before any hashing: a guess costs nothing then.
  if (auto locked = LockedFailure(*s, id)) return done(*locked);
  // So is an address that has guessed wrong too often, whatever the account.
  if (!failed_logins_.Allowed(s->address, w_.clock.Now())) {
    return done(Fail(Code::kRateLimited));
  }
  // The multi-login policy is applied only after the right password: a wrong
  // one is answered and counted alike whether or not the account is online.

  std::string copy = password;
  Verify(
      id, std::move(password),
      [this, s, id, copy = std::move(copy),
       done = std::move(done)](std::optional<Verification> v) mutable {
        if (!v) return done(Fail(Code::kInternal));
        if (!v->match) {
          Wipe(copy);
          return WrongPassword(s, id, std::move(done));
        }
        w_.lockout.Succeed(id, s->address);
        if (v->needs_rehash) Rehash(id, copy);
        Wipe(copy);
        Account* account = w_.directory.Get(id);
        if (s->ended || account == nullptr) return;
        if (s->logged_in()) return done(Fail(Code::kAlreadyLoggedIn));
        if (RefusedAsOnline(*account)) return done(Fail(Code::kAlreadyOnline));

        const TimeMs now = w_.clock.Now();
        std::string token = NewToken();
        std::string hash = HashToken(token);
        store::TokenGrant grant{id, hash, now, now + w_.config.token_lifetime_s * 1000};
        store::LoginEvent event{id, now, s->address, "login"};
        w_.store.GrantToken(
            std::move(grant), std::move(event),
            [this, s, id, now, token = std::move(token), hash = std::move(hash),
             done = std::move(done)](store::Result<store::Done> r) mutable {
              if (!r.ok()) return done(Fail(Code::kInternal));
              Account* account = w_.directory.Get(id);
              if (s->ended || account == nullptr) return;
              if (RefusedAsOnline(*account) || s->logged_in()) {
                Revoke(hash, nullptr);
                return done(Fail(s->logged_in() ? Code::kAlreadyLoggedIn : Code::kAlreadyOnline));
              }
              Attach(*s, *account, std::move(hash), now);
              spdlog::info("s{} login {} from {}", s->id, account->name, s->address);
              done(LoggedIn{account->name, std::move(token)});
            });
      });
}

void Accounts::Resume(SessionRef s, std::string token, Reply<std::string> done) {
  if (s->logged_in()) return done(Fail(Code::kAlreadyLoggedIn));
  std::string hash = HashToken(token);
  Wipe(token);
  if (revoking_.count(hash)) return done(Fail(Code::kBadToken));
  w_.store.FindToken(
      hash, w_.clock.Now(),
      [this, s, hash, done = std::move(done)](store::Result<AccountId> r) mutable {
        if (r.status().not_found()) return done(Fail(Code::kBadToken));
        if (!r.ok()) return done(Fail(Code::kInternal));
        Account* account = w_.directory.Get(*r);
        if (account == nullptr || revoking_.count(hash)) {
          return done(Fail(Code::kBadToken));
        }
        if (s->ended) return;
        if (s->logged_in()) return done(Fail(Code::kAlreadyLoggedIn));
        if (RefusedAsOnline(*account)) return done(Fail(Code::kAlreadyOnline));
        const TimeMs now = w_.clock.Now();
        Attach(*s, *account, std::move(hash), now);
        w_.store.RecordLogin({account->id, now, s->address, "resume"}, true, nullptr);
        spdlog::info("s{} resume {} from {}", s->id, account->name, s->address);
        done(account->name);
      });
}

void Accounts::Attach(Session& s, Account& account, std::string token_hash, TimeMs now) {
  s.account = &account;
  s.token_hash = TokenHash(token_hash);
  s.login_ms = now;
  std::vector<Session*> older;
  if (w_.config.multi_login == MultiLogin::kReplace) older = account.sessions;
  // The new session joins before the older ones leave, so the account never
  // looks offline in between.
  w_.presence.Attach(s);
  if (w_.cluster) w_.cluster->Attached(s);
  for (Session* o : older) {
    if (o->peer) o->peer->End(protocol::Bye::kReplaced);
  }
  if (w_.config.multi_login == MultiLogin::kReplace && w_.cluster && !account.remote.empty()) {
    w_.cluster->Kick(account, protocol::Bye::kReplaced);
  }
}

void Accounts::ChangePassword(SessionRef s, std::string old_password, std::string new_password,
                              Reply<Ok> done) {
  const AccountId id = s->account->id;
  if (auto locked = LockedFailure(*s, id)) return done(*locked);
  if (new_password.size() < w_.config.min_password) return done(Fail(Code::kWeakPassword));
  Verify(id, std::move(old_password),
         [this, s, id, new_password = std::move(new_password),
          done = std::move(done)](std::optional<Verification> v) mutable {
           if (!v) return done(Fail(Code::kInternal));
           if (!v->match) {
             Wipe(new_password);
             return WrongPassword(s, id, std::move(done));
           }
           w_.lockout.Succeed(id, s->address);
           w_.hasher.Hash(std::move(new_password), [this, s, id, done = std::move(done)](
                                                       std::optional<std::string> hash) mutable {
             if (!hash) return done(Fail(Code::kInternal));
             w_.store.SetPasswordHash(id, std::move(*hash), true,
                                      [this, s, id, done](store::Result<store::Done> r) {
                                        if (!r.ok()) return done(Fail(Code::kInternal));
                                        // Every token of the account died with the change.
                                        if (Account* a = w_.directory.Get(id)) {
                                          for (Session* o : a->sessions) o->token_hash.clear();
                                        }
                                        s->token_hash.clear();
                                        spdlog::info("s{} password changed", s->id);
                                        done(Ok{});
                                      });
           });
         });
}

void Accounts::Reauthenticate(SessionRef s, std::string password, Reply<Ok> done) {
  const AccountId id = s->account->id;
  if (auto locked = LockedFailure(*s, id)) return done(*locked);
  Verify(id, std::move(password),
         [this, s, id, done = std::move(done)](std::optional<Verification> v) mutable {
           if (!v) return done(Fail(Code::kInternal));
           if (!v->match) return WrongPassword(s, id, std::move(done));
           w_.lockout.Succeed(id, s->address);
           done(Ok{});
         });
}

void Accounts::Revoke(const std::string& token_hash, std::function<void(bool)> done) {
  revoking_.insert(token_hash);
  w_.store.RevokeToken(token_hash,
                       [this, token_hash, done = std::move(done)](store::Result<store::Done> r) {
                         revoking_.erase(token_hash);
                         if (done) done(r.ok());
                       });
}

void Accounts::Logout(SessionRef s, Reply<Ok> done) {
  if (!s->logged_in() || s->token_hash.empty()) return done(Ok{});
  std::string hash = std::exchange(s->token_hash, {}).str();
  Revoke(hash, [this, s, done = std::move(done)](bool ok) {
    // With several nodes the account leaves presence before the answer, so
    // that the others show it offline by the time the client hears OK.
    if (ok && w_.cluster && s->logged_in()) {
      w_.cluster->Detached(*s);
      w_.presence.Detach(*s);
    }
    done(ok ? Outcome<Ok>(Ok{}) : Outcome<Ok>(Fail(Code::kInternal)));
  });
}

void Accounts::SessionEnded(Session& s, const std::string& why, bool revoke,
                            std::function<void()> revoked) {
  if (!s.logged_in()) {
    if (revoked) revoked();
    return;
  }
  if (revoke && !s.token_hash.empty()) {
    Revoke(s.token_hash.str(), [revoked = std::move(revoked)](bool) {
      if (revoked) revoked();
    });
  } else if (revoked) {
    revoked();
  }
  s.token_hash.clear();
  const AccountId id = s.account->id;
  if (w_.cluster) w_.cluster->Detached(s);
  w_.presence.Detach(s);
  w_.store.RecordLogin({id, w_.clock.Now(), s.address, why}, false, nullptr);
  spdlog::info("s{} {} ({})", s.id, s.account->name, why);
  s.account = nullptr;
}

}  // namespace caucus::core
