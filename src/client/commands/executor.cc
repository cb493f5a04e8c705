#include "client/commands/executor.h"

#include "client/account/rules.h"
#include "client/commands/command_line.h"
#include "client/commands/vote_flow.h"
#include "client/p2p/peer_control.h"
#include "protocol/wire_time.h"

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

// detach: leaves with the session saved, for the next start to resume.
Outcome Detach(Context& ctx) {
  if (ctx.vote_mode || !ctx.tokens) {
    ctx.out.Error("this client cannot stay signed in here (sessions are not saved)");
    return Outcome::kFailed;
  }
  ctx.stay_signed_in = true;
  SaveSession(ctx);
  ctx.out.Info("left signed in as " + ctx.account.name +
               ": caucus started here again continues this session without a password "
               "(logout ends it)");
  return Outcome::kLeave;
}

// The people online, shown, for DM to ask whom to write to.
void ShowWhoIsOnline(Context& ctx) {
  const Request who{"WHO", {}, std::nullopt};
  const CallResult r = ctx.server.Call(who);
  if (!r.answered() || !r.reply.ok) return;
  ctx.roster.OnWho(r.reply);
  ctx.out.ShowReply(who, r.reply);
}

// For the aliases that ask (bare PM and DM): asks for the user and the
// text left out. False when the user gave up.
bool AskForWhatIsMissing(Context& ctx, Input& input, std::string* error) {
  if (input.spec->action == Action::kMsg && input.words.empty()) {
    ShowWhoIsOnline(ctx);
    auto to = ctx.prompter.Ask("To: ");
    if (!to || to->empty()) return false;
    if (auto why = WhyNotAName(*to); !why.empty()) {
      *error = why;
      return false;
    }
    input.words.push_back(std::move(*to));
  }
  if (!input.text) {
    auto text = ctx.prompter.Ask("Message: ");
    if (!text || text->empty()) return false;
    input.text = std::move(*text);
  }
  return true;
}

// edit/delete N TIME: the post's time must be TIME, checked with READ
// before the change is sent (post numbers are never reused, so the check
// stays true). False, after telling why, when it does not hold.
Outcome CheckPostTime(Context& ctx, const std::string& number, const PostTime& time) {
  const Request read{"READ", {protocol::FormatTime(time.from_ms - 1)}, std::nullopt};
  const CallResult r = ctx.server.Call(read);
  if (!r.answered()) return Unanswered(ctx, r);
  if (!r.reply.ok) {
    ctx.out.ShowReply(read, r.reply);
    return Failed(r.reply);
  }
  const auto within = [&](const std::string& wire) {
    const auto t = protocol::ParseTime(wire);
    return t && *t >= time.from_ms && *t < time.to_ms;
  };
  for (const auto& post : r.reply.data) {
    if (post.verb == "BOARD" && post.Param(0) == number &&
        (within(post.Param(1)) || within(post.Param(3)))) {
      return Outcome::kOk;
    }
  }
  ctx.out.Error("post #" + number + " was not posted or last edited at " + time.typed +
                "; nothing was changed (read shows each post's time)");
  return Outcome::kFailed;
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
    case Action::kQuit:
      return LogOut(ctx);
    case Action::kDetach:
      return Detach(ctx);
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
  if (input.asks && !AskForWhatIsMissing(ctx, input, &error)) {
    if (error.empty()) return Outcome::kCancelled;
    ctx.out.Error(error);
    return Outcome::kFailed;
  }
  std::optional<PostTime> time;
  const Action action = input.spec->action;
  if ((action == Action::kEdit || action == Action::kDelete) &&
      !TakePostTimeOf(&input, ctx.now(), &time, &error)) {
    ctx.out.Error(error);
    return Outcome::kFailed;
  }
  auto request = BuildRequest(input, ctx.now(), &error);
  if (!request) {
    ctx.out.Error(error);
    return Outcome::kFailed;
  }
  if (time) {
    if (const Outcome checked = CheckPostTime(ctx, input.words[0], *time);
        checked != Outcome::kOk) {
      return checked;
    }
  }
  return Run(ctx, *request);
}

Outcome LogOut(Context& ctx) {
  const Request request{"LOGOUT", {}, std::nullopt};
  const CallResult r = ctx.server.Call(request);
  ctx.account.token.clear();
  SaveSession(ctx);
  if (!r.answered()) {
    ctx.out.Info(
        "the connection was gone: the session is forgotten here, and ends on the server when its "
        "token expires");
    return Outcome::kLeave;
  }
  ctx.out.ShowReply(request, r.reply);
  return Outcome::kLeave;
}

}  // namespace caucus::client
