// The script mode: commands from stdin, one per line; plain or JSON output.
#include <unistd.h>

#include "client/account/rules.h"
#include "client/account/session_control.h"
#include "client/commands/executor.h"
#include "client/commands/vote_menu.h"
#include "client/event_router.h"
#include "client/input/input_lines.h"
#include "client/input/script_prompter.h"
#include "client/input/waiter.h"
#include "client/link/link.h"
#include "client/p2p/peer_control.h"
#include "client/present/formatter.h"
#include "client/present/human_presenter.h"
#include "client/present/json_presenter.h"
#include "client/present/time_text.h"
#include "client/setup.h"

namespace caucus::client {
namespace {

bool Blank(const std::string& line) {
  const size_t first = line.find_first_not_of(" \t");
  return first == std::string::npos || line[first] == '#';
}

}  // namespace

int RunScript(Setup& setup) {
  const Options& o = setup.options;
  ServerRules rules;
  Formatter formatter(Style(false), SystemNowMs);
  formatter.set_rules(&rules);
  StreamPrinter printer(stdout, stderr);
  HumanPresenter human(printer, formatter);
  JsonPresenter json(stdout, SystemNowMs);
  json.set_rules(&rules);
  Presenter& out = o.json ? static_cast<Presenter&>(json) : human;
  Roster roster;
  EventRouter router(out, roster);
  Link link(router, std::chrono::seconds(o.timeout_s));
  InputLines input(STDIN_FILENO);
  ScriptPrompter prompter(input, link);
  // A script that names its user logs in with the password it was given
  // and leaves the saved session alone.
  TokenStore* tokens = o.user.empty() && setup.tokens ? &*setup.tokens : nullptr;
  Context ctx{link,           out,         prompter,
              roster,         SystemNowMs, false,
              setup.endpoint, tokens,      setup.receipts ? &*setup.receipts : nullptr,
              setup.account};
  ctx.rules = &rules;
  ctx.vote_mode = o.vote_menu;
  ctx.stay_signed_in = o.stay_signed_in && !o.vote_menu;
  PeerControl peers(PeerSettings(o), ctx);
  ctx.peers = &peers;
  router.set_peers(&peers);
  UseSavedSession(ctx, {});
  const std::chrono::seconds patience(o.retry_s);
  if (auto status = OpenSession(ctx, link)) return *status;
  SetBackground(peers.fd(), [&peers] { peers.Service(); });

  bool failed = false;
  const auto went = [&](Outcome outcome) -> std::optional<int> {
    if (auto status = ExitStatusFor(outcome, false)) {
      return *status == kExitOk && failed ? kExitFailed : *status;
    }
    if (outcome == Outcome::kFailed || outcome == Outcome::kCancelled ||
        outcome == Outcome::kLost) {
      failed = true;
      if (!o.keep_going) return kExitFailed;
    }
    if (!link.connected()) return Recover(ctx, link, patience);
    return std::nullopt;
  };
  if (o.vote_menu) {
    while (true) {
      const Outcome outcome = RunVoteMenu(ctx);
      if (auto status = went(outcome)) return *status;
    }
  }
  while (true) {
    std::string line;
    switch (NextScriptLine(input, link, true, &line)) {
      case Got::kEnd:
        // Offers made and transfers running finish before the script ends.
        if (!WaitForPeers(peers, link)) return kExitInterrupted;
        return failed ? kExitFailed : kExitOk;
      case Got::kQuit:
        return kExitInterrupted;
      case Got::kLinkLost:
        if (auto status = Recover(ctx, link, patience)) return *status;
        break;
      case Got::kLine:
        if (Blank(line)) break;
        if (auto status = went(Execute(ctx, line))) return *status;
        break;
    }
  }
}

}  // namespace caucus::client
