#include "client/input/completion.h"

#include <algorithm>

#include "client/commands/command_table.h"
#include "protocol/names.h"

namespace caucus::client {
namespace {

std::vector<std::string> SplitWords(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const size_t begin = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > begin) words.emplace_back(s.substr(begin, i - begin));
  }
  return words;
}

std::vector<std::string> CommandsStartingWith(std::string_view word) {
  std::vector<std::string> out;
  for (auto& w : CommandWords()) {
    if (w.compare(0, word.size(), word) == 0) out.push_back(std::move(w));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::string> Completions(const Roster& roster, std::string_view before,
                                     std::string_view word,
                                     const std::vector<std::string>& invitations) {
  const std::vector<std::string> words = SplitWords(before);
  if (words.empty()) return CommandsStartingWith(word);
  const Lookup command = FindCommand(words[0]);
  if (!command.spec || words.size() != 1) return {};
  if (command.spec->action == Action::kHelp) return CommandsStartingWith(word);
  if (command.spec->names_user) return roster.Matching(word);
  if (command.spec->action == Action::kAccept || command.spec->action == Action::kDecline) {
    const std::string prefix = protocol::FoldName(word);
    std::vector<std::string> out;
    for (const auto& w : invitations) {
      if (protocol::FoldName(w).compare(0, prefix.size(), prefix) == 0) out.push_back(w);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  return {};
}

}  // namespace caucus::client
