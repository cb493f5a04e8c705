#include "client/input/prompter.h"

namespace caucus::client {

std::optional<bool> Confirm(Prompter& prompter, std::string_view question) {
  std::string q = std::string(question) + " [y/n] ";
  while (true) {
    const auto answer = prompter.Ask(q);
    if (!answer) return std::nullopt;
    if (*answer == "y" || *answer == "Y" || *answer == "yes") return true;
    if (*answer == "n" || *answer == "N" || *answer == "no") return false;
    // Anything else is neither sent nor taken: the question is asked again,
    // saying what it wants.
    if (!answer->empty()) q = "Please answer y or n. " + std::string(question) + " [y/n] ";
  }
}

}  // namespace caucus::client
