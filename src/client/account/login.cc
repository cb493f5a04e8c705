#include "client/account/login.h"

#include "client/account/registration.h"
#include "client/account/rules.h"
#include "protocol/names.h"

namespace caucus::client {
namespace {

LoginResult FromUnanswered(Context& ctx, const CallResult& result) {
  switch (Unanswered(ctx, result)) {
    case Outcome::kInterrupted:
      return LoginResult::kInterrupted;
    case Outcome::kLost:
      return LoginResult::kLost;
    default:
      return LoginResult::kFailed;
  }
}

// RESUME with the saved token. Returns nullopt when a password login should
// follow (the token is no good any more).
std::optional<LoginResult> Resume(Context& ctx, bool again) {
  const Request request{"RESUME", {ctx.account.token}, std::nullopt};
  const CallResult r = ctx.server.Call(request);
  if (!r.answered()) return FromUnanswered(ctx, r);
  if (r.reply.ok) {
    ctx.account.name = r.reply.Param(0);
    ctx.out.Info("resumed the session of " + ctx.account.name);
    return LoginResult::kLoggedIn;
  }
  if (r.reply.code == "ALREADY_ONLINE") {
    ctx.out.Error(ctx.account.name + " is already online elsewhere");
    return LoginResult::kBusy;
  }
  if (r.reply.code != "BAD_TOKEN") ctx.out.ShowReply(request, r.reply);
  ctx.account.token.clear();
  SaveSession(ctx);
  if (!again || !ctx.interactive) {
    ctx.out.Info("the saved session has ended; log in again");
    return std::nullopt;
  }
  return AskToLogInAgain(ctx, "the session of " + ctx.account.name + " has ended on the server");
}

// Asks for a name until a valid one comes; false if the user gave up.
bool AskName(Context& ctx, std::string* name) {
  while (true) {
    auto answer = ctx.prompter.Ask("Name: ");
    if (!answer) return false;
    if (protocol::IsValidName(*answer)) {
      *name = std::move(*answer);
      return true;
    }
    if (!answer->empty()) ctx.out.Error(WhyNotAName(*answer));
  }
}

LoginResult PasswordLogin(Context& ctx) {
  const bool given_password = !ctx.account.password.empty();
  if (!ctx.interactive && (ctx.account.name.empty() || !given_password)) {
    ctx.out.Error(
        "no saved session: give --user NAME, and the password in --password-file FILE "
        "or the environment variable CAUCUS_PASSWORD");
    return LoginResult::kFailed;
  }
  std::string name = ctx.account.name;
  std::string password;  // set by a registration just made
  while (true) {
    if (name.empty() && !AskName(ctx, &name)) return LoginResult::kGaveUp;
    if (password.empty()) password = ctx.account.password;
    if (password.empty()) {
      auto typed = ctx.prompter.AskSecret("Password for " + name + ": ");
      if (!typed) return LoginResult::kGaveUp;
      password = std::move(*typed);
    }
    Request request{"LOGIN", {name}, password};
    const CallResult r = ctx.server.Call(request);
    Wipe(*request.text);
    Wipe(password);
    if (!r.answered()) return FromUnanswered(ctx, r);
    const Reply& reply = r.reply;
    if (reply.ok) {
      ctx.account.name = reply.Param(0);
      ctx.account.token = reply.Param(1);
      SaveSession(ctx);
      ctx.out.Info("logged in as " + ctx.account.name);
      return LoginResult::kLoggedIn;
    }
    if (reply.code == "NO_SUCH_USER" && ctx.interactive) {
      switch (OfferRegistration(ctx, &name, &password)) {
        case Registration::kCreated:
          continue;
        case Registration::kDeclined:
          name.clear();
          continue;
        case Registration::kGaveUp:
          return LoginResult::kGaveUp;
        case Registration::kLost:
          return LoginResult::kLost;
        case Registration::kInterrupted:
          return LoginResult::kInterrupted;
      }
    }
    ctx.out.ShowReply(request, reply);
    if (reply.code == "LOCKED") return LoginResult::kLocked;
    if (!ctx.interactive || given_password) {
      return reply.code == "ALREADY_ONLINE" ? LoginResult::kBusy : LoginResult::kFailed;
    }
    if (reply.code != "AUTH_FAILED") name.clear();
  }
}

}  // namespace

LoginResult LogIn(Context& ctx, bool again) {
  if (!ctx.account.token.empty()) {
    if (auto resumed = Resume(ctx, again)) return *resumed;
  }
  return PasswordLogin(ctx);
}

std::optional<LoginResult> AskToLogInAgain(Context& ctx, const std::string& why) {
  ctx.out.Info(why + ". Nothing you type is sent until you log in again.");
  const auto yes = Confirm(ctx.prompter, "Log in again as " + ctx.account.name + "?");
  if (!yes || !*yes) return LoginResult::kGaveUp;
  return std::nullopt;
}

}  // namespace caucus::client
