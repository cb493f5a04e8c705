#include "client/commands/executor.h"

#include "client/commands/command_line.h"
#include "client/commands/vote_flow.h"
#include "client/p2p/peer_control.h"

namespace caucus::client {
namespace {

// Sends one request and shows its reply.
Outcome Run(Context& ctx, const Request& request) {
  const CallResult r = ctx.server.Call(request);
  if (!r.answered()) return Unanswered(ctx, r);
  ctx.out.ShowReply(request, r.reply);
  if (!r.reply.ok) return Failed(r.reply);
  ctx.roster.OnWho(r.reply);
  return Outcome::kOk;
}

Outcome Help(Context& ctx, const Input& input) {
  if (input.words.empty()) {
    ctx.out.Text(HelpText());
    return Outcome::kOk;
  }
  const std::string text = HelpFor(input.words[0]);
  if (text.empty()) {
    ctx.out.Error("no command '" + input.words[0] + "' (help lists them)");
    return Outcome::kFailed;
  }
  ctx.out.Text(text);
  return Outcome::kOk;
}

// passwd: the current password, then the new one twice.
Outcome ChangePassword(Context& ctx) {
  auto current = ctx.prompter.AskSecret("Current password: ");
  if (!current) return Outcome::kCancelled;
  auto fresh = ctx.prompter.AskSecret("New password: ");
  auto again = fresh ? ctx.prompter.AskSecret("The new password again: ") : std::nullopt;
  Outcome outcome = Outcome::kCancelled;
  if (again && *fresh != *again) {
    ctx.out.Error("the two new passwords differ; nothing was changed");
    outcome = Outcome::kFailed;
  } else if (again) {
    const Request request{"PASSWORD", {*current}, *fresh};
    const CallResult r = ctx.server.Call(request);
    if (!r.answered()) {
      outcome = Unanswered(ctx, r);
    } else if (!r.reply.ok) {
      ctx.out.ShowReply(request, r.reply);
      outcome = Failed(r.reply);
    } else {
      // Every token of the account dies with the old password.
      ctx.account.token.clear();
      SaveSession(ctx);
      if (!ctx.account.password.empty()) ctx.account.password = *fresh;
      ctx.out.Info("password changed; other sessions of " + ctx.account.name +
                   " can no longer resume");
      outcome = Outcome::kOk;
    }
  }
  for (auto* secret : {&current, &fresh, &again}) {
    if (*secret) Wipe(**secret);
  }
  return outcome;
}

Outcome Logout(Context& ctx) {
  const Request request{"LOGOUT", {}, std::nullopt};
  const CallResult r = ctx.server.Call(request);
  if (!r.answered()) return Unanswered(ctx, r);
  ctx.out.ShowReply(request, r.reply);
  ctx.account.token.clear();
  SaveSession(ctx);
  return Outcome::kLeave;
}

Outcome Peer(Context& ctx, const Input& input) {
  if (!ctx.peers) {
    ctx.out.Error("peer to peer is not available here");
    return Outcome::kFailed;
  }
  PeerControl& p = *ctx.peers;
  const std::string& word = input.words[0];
  switch (input.spec->action) {
    case Action::kTalk:
      return p.Talk(word);
    case Action::kAccept:
      return p.Accept(word);
    case Action::kDecline:
      return p.Decline(word);
    case Action::kPrivate:
      return p.Say(word, *input.text);
    case Action::kEndTalk:
      return p.EndTalk(word);
    default:
      return p.SendFile(word, *input.text);
  }
}

}  // namespace

Outcome Execute(Context& ctx, std::string_view line) {
  Input input;
  std::string error;
  if (!ParseInput(line, &input, &error)) {
    ctx.out.Error(error);
    return Outcome::kFailed;
  }
  if (!input.spec) return Outcome::kOk;
  switch (input.spec->action) {
    case Action::kHelp:
      return Help(ctx, input);
    case Action::kVote:
      return Vote(ctx, input.words[0],
                  input.words.size() > 1 ? std::optional(input.words[1]) : std::nullopt);
    case Action::kResults:
      return Results(ctx, input.words[0]);
    case Action::kPasswd:
      return ChangePassword(ctx);
    case Action::kLogout:
      return Logout(ctx);
    case Action::kQuit:
      return Outcome::kLeave;
    case Action::kTalk:
    case Action::kAccept:
    case Action::kDecline:
    case Action::kPrivate:
    case Action::kEndTalk:
    case Action::kSendFile:
      return Peer(ctx, input);
    default:
      break;
  }
  auto request = BuildRequest(input, ctx.now(), &error);
  if (!request) {
    ctx.out.Error(error);
    return Outcome::kFailed;
  }
  return Run(ctx, *request);
}

}  // namespace caucus::client
