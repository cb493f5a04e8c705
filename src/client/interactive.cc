// The terminal mode: line editing, events above the prompt, questions asked.
#include <unistd.h>

#include <cstdlib>
#include <cstring>

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
  Formatter formatter(Style(UseColor(o)), SystemNowMs);
  Roster roster;
  LineEditor editor([&roster](std::string_view before,
                              std::string_view word) { return Completions(roster, before, word); },
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
  PeerControl peers(PeerSettings(o), ctx);
  ctx.peers = &peers;
  router.set_peers(&peers);
  UseSavedSession(ctx, o.user);
  const std::chrono::seconds patience(o.retry_s);
  if (auto status = OpenSession(ctx, link)) return *status;
  SetBackground(peers.fd(), [&peers] { peers.Service(); });

  if (o.vote_menu) {
    while (true) {
      const Outcome outcome = RunVoteMenu(ctx);
      if (outcome != Outcome::kLost) return ExitStatusFor(outcome, true).value_or(kExitOk);
      if (auto status = Recover(ctx, link, patience)) return *status;
    }
  }
  out.Info("type help for the commands");
  while (true) {
    std::string line;
    const Got got = ReadTerminalLine(editor, link, ctx.account.name + "> ", true, true, &line);
    if (got == Got::kQuit || got == Got::kEnd) return kExitOk;
    if (got == Got::kLine) {
      const Outcome outcome = Execute(ctx, line);
      if (auto status = ExitStatusFor(outcome, true)) return *status;
    }
    if (!link.connected()) {
      if (auto status = Recover(ctx, link, patience)) return *status;
    }
  }
}

}  // namespace caucus::client
