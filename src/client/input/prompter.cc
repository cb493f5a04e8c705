#include "client/input/prompter.h"

namespace caucus::client {

std::optional<bool> Confirm(Prompter& prompter, std::string_view question) {
  const std::string q = std::string(question) + " [y/n] ";
  while (true) {
    const auto answer = prompter.Ask(q);
    if (!answer) return std::nullopt;
    if (*answer == "y" || *answer == "Y" || *answer == "yes") return true;
    if (*answer == "n" || *answer == "N" || *answer == "no") return false;
  }
}

}  // namespace caucus::client
