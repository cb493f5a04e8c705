#include "client/commands/vote_flow.h"

#include <algorithm>
#include <vector>

#include "protocol/names.h"

namespace caucus::client {
namespace {

// Shows the poll and asks for an option; nullopt when the user gave up or
// the poll could not be shown (*outcome says which).
std::optional<std::string> ChooseOption(Context& ctx, const std::string& poll, Outcome* outcome) {
  const Request info{"POLLINFO", {poll}, std::nullopt};
  const CallResult r = ctx.server.Call(info);
  if (!r.answered()) {
    *outcome = Unanswered(ctx, r);
    return std::nullopt;
  }
  ctx.out.ShowReply(info, r.reply);
  if (!r.reply.ok) {
    *outcome = Failed(r.reply);
    return std::nullopt;
  }
  int64_t options = 0;
  bool voted = false;
  for (const auto& line : r.reply.data) {
    options += line.verb == "OPTION";
    if (line.verb == "POLLINFO") voted = line.Param(4) == "1";
  }
  const PollRules rules = AskPollRules(ctx, poll);
  *outcome = Outcome::kCancelled;
  if (voted && !rules.revote) {
    ctx.out.Info("you have already voted in this poll (verify checks your receipt)");
    return std::nullopt;
  }
  if (voted) ctx.out.Info("you have already voted in this poll; a new vote replaces that ballot");
  const std::string range = "1-" + std::to_string(options);
  const std::string question = rules.choices > 1
                                   ? "Your choices (up to " + std::to_string(rules.choices) +
                                         " of " + range + ", as 1,3; empty to cancel): "
                                   : "Your choice (" + range + ", empty to cancel): ";
  while (true) {
    auto answer = ctx.prompter.Ask(question);
    if (!answer || answer->empty()) return std::nullopt;
    const auto chosen = OptionCount(*answer, options);
    if (chosen > 0 && chosen <= rules.choices) return *answer;
    if (chosen > rules.choices) {
      ctx.out.Error("this poll takes at most " + std::to_string(rules.choices) +
                    (rules.choices == 1 ? " choice" : " choices"));
    } else if (rules.choices > 1) {
      ctx.out.Error("type up to " + std::to_string(rules.choices) + " different numbers from " +
                    range + ", as 1,3");
    } else {
      ctx.out.Error("type a number from 1 to " + std::to_string(options));
    }
  }
}

void SaveReceipt(Context& ctx, const std::string& poll, const std::string& option,
                 const std::string& receipt) {
  if (!ctx.receipts) return;
  std::string error;
  if (ctx.receipts->Append({ctx.now(), ctx.endpoint.Key(), ctx.account.name, poll, option, receipt},
                           &error)) {
    ctx.out.Info("receipt saved in " + ctx.receipts->path());
  } else {
    ctx.out.Error("the receipt could not be saved (" + error + "); note it down");
  }
}

}  // namespace

int64_t OptionCount(std::string_view text, int64_t most) {
  std::vector<int64_t> seen;
  while (true) {
    const size_t comma = text.find(',');
    int64_t n;
    if (!protocol::ParseCount(text.substr(0, comma), &n) || n == 0 || (most > 0 && n > most) ||
        std::find(seen.begin(), seen.end(), n) != seen.end()) {
      return 0;
    }
    seen.push_back(n);
    if (comma == std::string_view::npos) return static_cast<int64_t>(seen.size());
    text.remove_prefix(comma + 1);
  }
}

bool IsOptionList(std::string_view text, int64_t most) { return OptionCount(text, most) > 0; }

PollRules AskPollRules(Context& ctx, const std::string& poll) {
  PollRules rules;
  const CallResult r = ctx.server.Call({"POLLFLAGS", {poll}, std::nullopt});
  if (!r.answered() || !r.reply.ok) return rules;
  std::string_view flags = r.reply.Param(1);
  while (!flags.empty()) {
    const size_t comma = flags.find(',');
    const std::string_view flag = flags.substr(0, comma);
    int64_t n;
    if (flag == "revote") {
      rules.revote = true;
    } else if (flag.substr(0, 8) == "choices=" && protocol::ParseCount(flag.substr(8), &n) &&
               n > 1) {
      rules.choices = n;
    }
    if (comma == std::string_view::npos) break;
    flags.remove_prefix(comma + 1);
  }
  return rules;
}

CallResult CallWithPassword(Context& ctx, Request request) {
  CallResult r = ctx.server.Call(request);
  if (!r.answered() || r.reply.ok || r.reply.code != "PASSWORD_REQUIRED") return r;
  std::string password = ctx.account.password;
  if (password.empty()) {
    auto typed = ctx.prompter.AskSecret("This poll asks for your password again: ");
    if (!typed) return r;
    password = std::move(*typed);
  }
  request.text = std::move(password);
  r = ctx.server.Call(request);
  Wipe(*request.text);
  return r;
}

Outcome Vote(Context& ctx, const std::string& poll, std::optional<std::string> option) {
  if (!option) {
    Outcome outcome;
    option = ChooseOption(ctx, poll, &outcome);
    if (!option) return outcome;
  }
  if (!IsOptionList(*option, 0)) {
    ctx.out.Error("OPTION must be an option's number (or several, as 1,3), not '" + *option + "'");
    return Outcome::kFailed;
  }
  const Request request{"VOTE", {poll, *option}, std::nullopt};
  const CallResult r = CallWithPassword(ctx, request);
  if (!r.answered()) return Unanswered(ctx, r);
  ctx.out.ShowReply(request, r.reply);
  if (!r.reply.ok) return Failed(r.reply);
  SaveReceipt(ctx, poll, *option, r.reply.Param(1));
  return Outcome::kOk;
}

Outcome Results(Context& ctx, const std::string& poll) {
  const Request request{"RESULTS", {poll}, std::nullopt};
  const CallResult r = CallWithPassword(ctx, request);
  if (!r.answered()) return Unanswered(ctx, r);
  ctx.out.ShowReply(request, r.reply);
  return r.reply.ok ? Outcome::kOk : Failed(r.reply);
}

}  // namespace caucus::client
