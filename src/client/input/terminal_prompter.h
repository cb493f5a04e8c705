// Reading lines at the terminal while the server's events keep printing
// above them: the command prompt, questions, and passwords (not echoed).
#pragma once

#include <string>

#include "client/input/line_editor.h"
#include "client/input/prompter.h"
#include "client/input/waiter.h"
#include "client/link/link.h"

namespace caucus::client {

// Reads one line at `prompt` (see LineEditor::Start for `remember` and
// `typed`). With `report_lost`, returns kLinkLost as soon as the
// connection ends, the half-typed line kept for the next call with the same
// prompt. Ctrl-C on a half-typed line clears it and reading goes on; on an
// empty line it ends the reading (kQuit).
Got ReadTerminalLine(LineEditor& editor, Link& link, const std::string& prompt, bool remember,
                     bool report_lost, std::string* line, const std::string& typed = {});

// Reads one line at `prompt` without echo. Any line being edited is taken
// off the screen first: the password prompt is the only one shown.
Got ReadSecretLine(LineEditor& editor, Link& link, const std::string& prompt, std::string* line);

// Questions at the terminal; Ctrl-C cancels the question (nullopt) without
// asking the client to leave.
class TerminalPrompter : public Prompter {
 public:
  TerminalPrompter(LineEditor& editor, Link& link) : editor_(editor), link_(link) {}
  std::optional<std::string> Ask(std::string_view question) override;
  std::optional<std::string> AskSecret(std::string_view question) override;

 private:
  LineEditor& editor_;
  Link& link_;
};

}  // namespace caucus::client
