// Prompter: asks the user a question while a command runs (a password, a
// choice). At the terminal a person answers; in a script the next input
// line does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caucus::client {

class Prompter {
 public:
  virtual ~Prompter() = default;
  // The answer, or nullopt when the user gave up (Ctrl-C, Ctrl-D, or the
  // end of the input).
  virtual std::optional<std::string> Ask(std::string_view question) = 0;
  // The same, without showing what is typed.
  virtual std::optional<std::string> AskSecret(std::string_view question) = 0;
};

// Asks a yes/no question until the answer is one (any other answer is
// dropped and the question asked again); nullopt if the user gave up.
std::optional<bool> Confirm(Prompter& prompter, std::string_view question);

}  // namespace caucus::client
