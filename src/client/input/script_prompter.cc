#include "client/input/script_prompter.h"

namespace caucus::client {

Got NextScriptLine(InputLines& input, Link& link, bool report_lost, std::string* line) {
  while (true) {
    if (auto next = input.Next()) {
      *line = std::move(*next);
      return Got::kLine;
    }
    if (input.ended()) return Got::kEnd;
    switch (WaitForInput(input.fd(), link)) {
      case Woke::kQuit:
        return Got::kQuit;
      case Woke::kLinkLost:
        if (report_lost) return Got::kLinkLost;
        break;
      case Woke::kRedraw:
        break;
      case Woke::kInput:
        input.Read();
        break;
    }
  }
}

std::optional<std::string> ScriptPrompter::Ask(std::string_view) {
  std::string line;
  if (NextScriptLine(input_, link_, false, &line) != Got::kLine) return std::nullopt;
  return line;
}

}  // namespace caucus::client
