#include "client/account/session_control.h"

#include "client/account/reconnect.h"
#include "client/p2p/peer_control.h"
#include "protocol/names.h"

namespace caucus::client {
namespace {

// Fills the roster without showing anything.
void LearnWhoIsOnline(Context& ctx) {
  const CallResult r = ctx.server.Call({"WHO", {}, std::nullopt});
  if (r.answered()) ctx.roster.OnWho(r.reply);
}

}  // namespace

void UseSavedSession(Context& ctx, const std::string& user) {
  if (!ctx.tokens) return;
  auto saved = ctx.tokens->Load(ctx.endpoint.Key());
  if (!saved || (!user.empty() && protocol::FoldName(user) != protocol::FoldName(saved->name))) {
    return;
  }
  ctx.account.name = std::move(saved->name);
  ctx.account.token = std::move(saved->token);
}

int ExitStatusFor(LoginResult result, bool interactive) {
  switch (result) {
    case LoginResult::kLoggedIn:
      return kExitOk;
    case LoginResult::kLocked:
      return kExitLocked;
    case LoginResult::kGaveUp:
      return interactive ? kExitOk : kExitFailed;
    case LoginResult::kInterrupted:
      return interactive ? kExitOk : kExitInterrupted;
    case LoginResult::kFailed:
    case LoginResult::kBusy:
    case LoginResult::kLost:
      break;
  }
  return kExitFailed;
}

std::optional<int> OpenSession(Context& ctx, Link& link) {
  if (!ConnectOnce(ctx, link)) return link.certificate_refused() ? kExitCertificate : kExitFailed;
  const LoginResult result = LogIn(ctx);
  if (result != LoginResult::kLoggedIn) return ExitStatusFor(result, ctx.interactive);
  LearnWhoIsOnline(ctx);
  if (ctx.peers) ctx.peers->Announce();
  return std::nullopt;
}

std::optional<int> Recover(Context& ctx, Link& link, std::chrono::seconds patience) {
  const std::string bye = link.bye();
  if (!ShouldReconnect(bye)) {
    if (bye == "LOCKED") return kExitLocked;
    return bye == "LOGOUT" ? kExitOk : kExitFailed;
  }
  const LoginResult result = Reconnect(ctx, link, patience);
  if (result != LoginResult::kLoggedIn) return ExitStatusFor(result, ctx.interactive);
  LearnWhoIsOnline(ctx);
  if (ctx.peers) ctx.peers->Announce();
  return std::nullopt;
}

std::optional<int> ExitStatusFor(Outcome outcome, bool interactive) {
  switch (outcome) {
    case Outcome::kLeave:
      return kExitOk;
    case Outcome::kLocked:
      return kExitLocked;
    case Outcome::kInterrupted:
      return interactive ? kExitOk : kExitInterrupted;
    default:
      return std::nullopt;
  }
}

}  // namespace caucus::client
