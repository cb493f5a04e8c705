// Handlers: HELLO, PING, RULES, REGISTER, LOGIN, RESUME, WHOAMI, PASSWORD, LOGOUT.
#include "core/caucus.h"
#include "session/client_session.h"
#include "session/dispatch.h"
#include "session/session_host.h"

namespace caucus::session {
namespace {

using core::Outcome;
using protocol::Command;

void Hello(Command&, Reply r) {
  r.Ok([](auto& b) { b.Word("caucus/1"); });
}

void Ping(Command& cmd, Reply r) {
  if (cmd.params.empty()) return r.Ok();
  r.Ok([&](auto& b) {
    const std::string& token = cmd.params[0];
    if (protocol::IsWord(token)) {
      b.Word(token);
    } else {
      b.Trailing(token);
    }
  });
}

// An extension: the rules this server applies, so that a client can say
// them to a person before they are broken (docs/protocol.md).
void Rules(Command&, Reply r) {
  const SessionLimits& o = r.client().host().limits();
  const core::Config& c = r.caucus().world().config;
  r.Lines([&](ReplyLines& out) {
    int64_t n = 0;
    const auto rule = [&](std::string_view key, std::string_view value) {
      out.Data().Word("RULE").Word(key).Trailing(value).End();
      ++n;
    };
    const char* registration = c.registration == core::Registration::kOpen     ? "open"
                               : c.registration == core::Registration::kClosed ? "closed"
                                                                               : "email";
    rule("registration", registration);
    if (c.registration == core::Registration::kEmail) rule("email-domain", c.email_domain);
    rule("passwords", c.generate_passwords ? "generated" : "chosen");
    rule("min-password", std::to_string(c.min_password));
    rule("max-text", std::to_string(c.max_text));
    rule("max-line", std::to_string(o.max_line));
    rule("idle-timeout", std::to_string(o.idle_timeout_s));
    out.Ok().Int(n).End();
  });
}

void Register(Command& cmd, Reply r) {
  std::optional<std::string> password;
  if (cmd.params.size() == 2) password = std::move(cmd.params[1]);
  r.caucus().accounts().Register(r.session(), std::move(cmd.params[0]), std::move(password),
                                 [r](Outcome<core::Accounts::Registered> o) {
                                   if (!o.ok()) return r.Fail(o.failure());
                                   r.Ok([&](auto& b) {
                                     b.Word(o->name);
                                     if (!o->generated_password.empty()) {
                                       b.Word(o->generated_password);
                                     }
                                   });
                                 });
}

void CountLogin(const Reply& r, std::optional<protocol::Code> failure) {
  auto& m = r.client().host().metrics();
  if (!failure) {
    ++m.logins_ok;
  } else if (*failure == protocol::Code::kLocked) {
    ++m.logins_locked;
  } else if (*failure == protocol::Code::kAuthFailed || *failure == protocol::Code::kNoSuchUser) {
    ++m.logins_failed;
  }
}

// After OK LOGIN / OK RESUME the session waits (held) for the stored
// messages, which the domain delivers; then it takes the next command.
void Login(Command& cmd, Reply r) {
  r.caucus().Login(
      r.session(), std::move(cmd.params[0]), std::move(cmd.params[1]),
      [r](Outcome<core::Accounts::LoggedIn> o) {
        CountLogin(r, o.ok() ? std::nullopt : std::optional(o.failure().code));
        if (!o.ok()) return r.Fail(o.failure());
        r.Lines([&](ReplyLines& out) { out.Ok().Word(o->name).Word(o->token).End(); },
                /*hold=*/true);
        r.client().host().LoggedIn(&r.client());
      },
      [r] { r.client().Release(); });
}

void Resume(Command& cmd, Reply r) {
  r.caucus().Resume(
      r.session(), std::move(cmd.params[0]),
      [r](Outcome<std::string> o) {
        if (!o.ok()) return r.Fail(o.failure());
        r.Lines([&](ReplyLines& out) { out.Ok().Word(o.value()).End(); }, /*hold=*/true);
        r.client().host().LoggedIn(&r.client());
      },
      [r] { r.client().Release(); });
}

// An extension: the session's account and role, so a client (the web page)
// knows whether to offer the admin verbs without trying one.
void WhoAmI(Command&, Reply r) {
  const core::Account& account = *r.session()->account;
  r.Ok([&](auto& b) { b.Word(account.name).Word(account.admin ? "admin" : "user"); });
}

void Password(Command& cmd, Reply r) {
  r.caucus().accounts().ChangePassword(r.session(), std::move(cmd.params[0]),
                                       std::move(cmd.params[1]), [r](Outcome<core::Ok> o) {
                                         if (!o.ok()) return r.Fail(o.failure());
                                         r.Ok();
                                       });
}

void Logout(Command&, Reply r) {
  r.caucus().accounts().Logout(r.session(), [r](Outcome<core::Ok> o) {
    if (!o.ok()) return r.Fail(o.failure());
    std::string line;
    ReplyLines(line, r.client()).Ok().End();
    r.client().Complete(line, protocol::Bye::kLogout, false);
  });
}

}  // namespace

std::vector<Verb> AccountVerbs() {
  return {
      {"HELLO", Access::kAnyone, 0, 1, Hello},     {"PING", Access::kAnyone, 0, 1, Ping},
      {"RULES", Access::kAnyone, 0, 0, Rules},     {"REGISTER", Access::kAnyone, 1, 2, Register},
      {"LOGIN", Access::kAnyone, 2, 2, Login},     {"RESUME", Access::kAnyone, 1, 1, Resume},
      {"WHOAMI", Access::kLoggedIn, 0, 0, WhoAmI}, {"PASSWORD", Access::kLoggedIn, 2, 2, Password},
      {"LOGOUT", Access::kAnyone, 0, 0, Logout},
  };
}

}  // namespace caucus::session
