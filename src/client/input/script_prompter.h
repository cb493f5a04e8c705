// Reading a script's lines (stdin when it is not a terminal) while the
// server's events keep being handled. In a script, the answer to a question
// (a choice, a new password) is the next input line; nothing is shown.
#pragma once

#include <string>

#include "client/input/input_lines.h"
#include "client/input/prompter.h"
#include "client/input/waiter.h"
#include "client/link/link.h"

namespace caucus::client {

// Waits for the next line of `input`. With `report_lost`, returns
// kLinkLost as soon as the connection ends.
Got NextScriptLine(InputLines& input, Link& link, bool report_lost, std::string* line);

class ScriptPrompter : public Prompter {
 public:
  ScriptPrompter(InputLines& input, Link& link) : input_(input), link_(link) {}
  std::optional<std::string> Ask(std::string_view question) override;
  std::optional<std::string> AskSecret(std::string_view question) override { return Ask(question); }

 private:
  InputLines& input_;
  Link& link_;
};

}  // namespace caucus::client
