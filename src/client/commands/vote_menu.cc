#include "client/commands/vote_menu.h"

#include "client/commands/vote_flow.h"
#include "protocol/names.h"

namespace caucus::client {
namespace {

constexpr std::string_view kMenu = "1) vote   2) results   3) quit";

// Lists the polls (only the open ones when `open_only`) and asks for one.
// nullopt when there is none, the user gave up, or the list failed
// (*outcome says which).
std::optional<std::string> ChoosePoll(Context& ctx, bool open_only, Outcome* outcome) {
  const CallResult r = ctx.server.Call({"POLLS", {}, std::nullopt});
  if (!r.answered()) {
    *outcome = Unanswered(ctx, r);
    return std::nullopt;
  }
  if (!r.reply.ok) {
    ctx.out.ShowReply({"POLLS", {}, std::nullopt}, r.reply);
    *outcome = Failed(r.reply);
    return std::nullopt;
  }
  *outcome = Outcome::kCancelled;
  std::vector<const Line*> polls;
  std::string list;
  for (const auto& p : r.reply.data) {
    if (open_only && p.Param(1) != "open") continue;
    polls.push_back(&p);
    list += "  " + std::to_string(polls.size()) + ". " + p.Param(5) + " (" + p.Param(0) + ", " +
            p.Param(1) + (p.Param(4) == "1" ? ", you voted" : "") + ")\n";
  }
  if (polls.empty()) {
    ctx.out.Info(open_only ? "no poll is open" : "there are no polls");
    return std::nullopt;
  }
  list.pop_back();
  ctx.out.Text(list);
  while (true) {
    auto answer =
        ctx.prompter.Ask("Poll (1-" + std::to_string(polls.size()) + ", empty to go back): ");
    if (!answer || answer->empty()) return std::nullopt;
    int64_t n;
    if (protocol::ParseCount(*answer, &n) && n >= 1 && n <= static_cast<int64_t>(polls.size())) {
      return polls[static_cast<size_t>(n - 1)]->Param(0);
    }
    ctx.out.Error("type a number from 1 to " + std::to_string(polls.size()));
  }
}

bool Ends(Outcome o) {
  return o == Outcome::kLost || o == Outcome::kLocked || o == Outcome::kInterrupted;
}

}  // namespace

Outcome RunVoteMenu(Context& ctx) {
  while (true) {
    ctx.out.Text(kMenu);
    auto choice = ctx.prompter.Ask("Choice: ");
    if (!choice || *choice == "3" || *choice == "q" || *choice == "quit") return Outcome::kLeave;
    if (*choice != "1" && *choice != "2") {
      if (!choice->empty()) ctx.out.Error("type 1, 2 or 3");
      continue;
    }
    const bool voting = *choice == "1";
    Outcome outcome;
    const auto poll = ChoosePoll(ctx, voting, &outcome);
    if (poll) outcome = voting ? Vote(ctx, *poll, std::nullopt) : Results(ctx, *poll);
    if (Ends(outcome)) return outcome;
  }
}

}  // namespace caucus::client
