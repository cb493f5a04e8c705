#include "client/account/session_control.h"

#include "client/account/reconnect.h"
#include "client/account/rules.h"
#include "client/commands/executor.h"
#include "client/input/signals.h"
#include "client/p2p/peer_control.h"
#include "client/present/time_text.h"
#include "protocol/names.h"

namespace caucus::client {
namespace {

// What every new session does first, without showing anything: learns who
// is online (for completion), asks for the board's changes (WATCH board,
// an extension: an older server's refusal is ignored) and announces the
// peer-to-peer ports.
void SetUp(Context& ctx) {
  const CallResult r = ctx.server.Call({"WHO", {}, std::nullopt});
  if (r.answered()) ctx.roster.OnWho(r.reply);
  ctx.server.Call({"WATCH", {"board"}, std::nullopt});
  if (ctx.peers) ctx.peers->Announce();
}

}  // namespace

void UseSavedSession(Context& ctx, const std::string& user) {
  // The voting menu never continues a session: on a laptop shared by a
  // queue of voters, each logs in.
  if (!ctx.tokens || ctx.vote_mode) return;
  auto saved = ctx.tokens->Load(ctx.endpoint.Key());
  if (!saved || (!user.empty() && protocol::FoldName(user) != protocol::FoldName(saved->name))) {
    return;
  }
  if (ctx.interactive && user.empty()) {
    // Whose session it is, before anything is done with it.
    ctx.out.Info("a session of " + saved->name + " is saved here (" + saved->name +
                 " left signed in)");
    const auto yes = Confirm(ctx.prompter, "Continue as " + saved->name + "?");
    if (!yes || !*yes) return;
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
  SetUp(ctx);
  return std::nullopt;
}

std::optional<int> Recover(Context& ctx, Link& link, std::chrono::seconds patience) {
  const std::string bye = link.bye();
  if (!ShouldReconnect(bye)) {
    if (bye == "LOCKED") return kExitLocked;
    return bye == "LOGOUT" ? kExitOk : kExitFailed;
  }
  if (bye == "IDLE_TIMEOUT") {
    // The server logged the user out and revoked the token: no RESUME.
    ctx.account.token.clear();
    SaveSession(ctx);
    if (ctx.interactive) {
      std::string why = "the server logged you out";
      if (ctx.rules && ctx.rules->idle_timeout > 0) {
        why += " after " + Duration(ctx.rules->idle_timeout) + " without a command";
      } else {
        why += ": idle for too long";
      }
      if (auto gave_up = AskToLogInAgain(ctx, why)) return ExitStatusFor(*gave_up, true);
    }
  }
  const LoginResult result = Reconnect(ctx, link, patience);
  if (result != LoginResult::kLoggedIn) return ExitStatusFor(result, ctx.interactive);
  SetUp(ctx);
  return std::nullopt;
}

int Leave(Context& ctx, Link& link) {
  signals::ClearQuit();  // a Ctrl-C or SIGTERM that asked to leave must not cut LOGOUT short
  if (ctx.stay_signed_in) {
    SaveSession(ctx);
    ctx.out.Info("still signed in as " + ctx.account.name +
                 ": caucus started here again continues this session (logout ends it)");
    return kExitOk;
  }
  if (!link.connected() || ctx.account.token.empty()) return kExitOk;
  LogOut(ctx);
  return kExitOk;
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
