// The terminal mode: line editing, events above the prompt, questions asked.
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "client/account/rules.h"
#include "client/account/session_control.h"
#include "client/commands/executor.h"
#include "client/commands/vote_menu.h"
#include "client/event_router.h"
#include "client/input/completion.h"
#include "client/input/line_editor.h"
#include "client/input/terminal_prompter.h"
#include "client/input/waiter.h"
#include "client/link/link.h"
#include "client/p2p/peer_control.h"
#include "client/present/formatter.h"
#include "client/present/human_presenter.h"
#include "client/present/time_text.h"
#include "client/setup.h"

namespace caucus::client {
namespace {

bool UseColor(const Options& o) {
  const char* term = std::getenv("TERM");
  return !o.no_color && std::getenv("NO_COLOR") == nullptr && ::isatty(STDOUT_FILENO) &&
         term != nullptr && std::strcmp(term, "dumb") != 0;
}

}  // namespace

int RunInteractive(Setup& setup) {
  const Options& o = setup.options;
  ServerRules rules;
  Formatter formatter(Style(UseColor(o)), SystemNowMs);
  formatter.set_rules(&rules);
  Roster roster;
  PeerControl* peers_ptr = nullptr;  // set below; completion asks it for invitations
  LineEditor editor(
      [&roster, &peers_ptr](std::string_view before, std::string_view word) {
        return Completions(roster, before, word,
                           peers_ptr ? peers_ptr->Answerable() : std::vector<std::string>{});
      },
      setup.history_path);
  HumanPresenter out(editor, formatter);
  EventRouter router(out, roster);
  Link link(router, std::chrono::seconds(o.timeout_s));
  TerminalPrompter prompter(editor, link);
  Context ctx{link,
              out,
              prompter,
              roster,
              SystemNowMs,
              true,
              setup.endpoint,
              setup.tokens ? &*setup.tokens : nullptr,
              setup.receipts ? &*setup.receipts : nullptr,
              setup.account};
  ctx.rules = &rules;
  ctx.vote_mode = o.vote_menu;
  ctx.stay_signed_in = o.stay_signed_in && !o.vote_menu;
  PeerControl peers(PeerSettings(o), ctx);
  ctx.peers = &peers;
  peers_ptr = &peers;
  router.set_peers(&peers);
  UseSavedSession(ctx, o.user);
  const std::chrono::seconds patience(o.retry_s);
  if (auto status = OpenSession(ctx, link)) return *status;
  SetBackground(peers.fd(), [&peers] { peers.Service(); });

  if (o.vote_menu) {
    while (true) {
      const Outcome outcome = RunVoteMenu(ctx);
      if (outcome == Outcome::kLeave || outcome == Outcome::kInterrupted) return Leave(ctx, link);
      if (outcome != Outcome::kLost) return ExitStatusFor(outcome, true).value_or(kExitOk);
      if (auto status = Recover(ctx, link, patience)) return *status;
    }
  }
  out.Info("type help for the commands; quit (or Ctrl-D) logs out and leaves");
  std::string typed;  // a half-typed line set aside while the connection is recovered
  while (true) {
    std::string line;
    const Got got =
        ReadTerminalLine(editor, link, ctx.account.name + "> ", true, true, &line, typed);
    typed.clear();
    if (got == Got::kQuit || got == Got::kEnd) return Leave(ctx, link);
    if (got == Got::kLine) {
      const Outcome outcome = Execute(ctx, line);
      if (outcome == Outcome::kInterrupted) return Leave(ctx, link);
      if (auto status = ExitStatusFor(outcome, true)) return *status;
    }
    if (!link.connected()) {
      typed = editor.Typed();
      editor.Stop();
      if (auto status = Recover(ctx, link, patience)) return *status;
    }
  }
}

}  // namespace caucus::client
