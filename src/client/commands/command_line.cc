#include "client/commands/command_line.h"

#include <fmt/format.h>

#include "client/commands/since.h"
#include "protocol/names.h"
#include "protocol/wire_time.h"

namespace caucus::client {
namespace {

constexpr int64_t kDefaultHistory = 20;

void SkipSpaces(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

std::string_view NextWord(std::string_view& s) {
  SkipSpaces(s);
  size_t end = 0;
  while (end < s.size() && s[end] != ' ' && s[end] != '\t') ++end;
  std::string_view word = s.substr(0, end);
  s.remove_prefix(end);
  return word;
}

bool UserArg(const std::string& name, std::string* error) {
  if (protocol::IsValidName(name)) return true;
  *error = "'" + name + "' is not a user name";
  return false;
}

bool PositiveArg(const std::string& text, std::string_view what, std::string* error) {
  int64_t n;
  if (protocol::ParseCount(text, &n) && n > 0) return true;
  *error = std::string(what) + " must be a positive whole number, not '" + text + "'";
  return false;
}

}  // namespace

std::string UsageOf(const CommandSpec& spec) {
  if (spec.usage.empty()) return fmt::format("usage: {}", spec.name);
  return fmt::format("usage: {} {}", spec.name, spec.usage);
}

bool ParseInput(std::string_view line, Input* input, std::string* error) {
  *input = Input();
  const std::string_view word = NextWord(line);
  if (word.empty()) return true;
  const Lookup found = FindCommand(word);
  if (!found.spec) {
    *error = found.error;
    return false;
  }
  const CommandSpec& spec = *found.spec;
  input->asks = found.alias != nullptr && found.alias->prompts;
  while (input->words.size() < spec.max_words) {
    const std::string_view w = NextWord(line);
    if (w.empty()) break;
    input->words.emplace_back(w);
  }
  SkipSpaces(line);
  const bool fits = (input->words.size() >= spec.min_words || input->asks) &&
                    (spec.text != Text::kNone || line.empty()) &&
                    (spec.text != Text::kRequired || !line.empty() || input->asks);
  if (!fits) {
    *error = UsageOf(spec);
    return false;
  }
  if (spec.text != Text::kNone && !line.empty()) input->text.emplace(line);
  input->spec = &spec;
  return true;
}

bool TakePostTimeOf(Input* input, int64_t now_ms, std::optional<PostTime>* time,
                    std::string* error) {
  time->reset();
  if (!input->text) return true;
  std::string_view rest;
  if (auto t = TakePostTime(*input->text, now_ms, &rest)) {
    *time = std::move(*t);
    if (rest.empty()) {
      input->text.reset();
    } else {
      input->text = std::string(rest);
    }
  }
  if (input->spec->action == Action::kEdit && !input->text) {
    *error = UsageOf(*input->spec);
    return false;
  }
  if (input->spec->action == Action::kDelete && input->text) {
    *error = "'" + *input->text +
             "' is not a post's time (as read shows it: 14:30:05, or 2026-11-21 14:30:05)";
    return false;
  }
  return true;
}

std::optional<Request> BuildRequest(const Input& input, int64_t now_ms, std::string* error) {
  const auto& w = input.words;
  switch (input.spec->action) {
    case Action::kWho:
      if (!w.empty() && !PositiveArg(w[0], "SECONDS", error)) return std::nullopt;
      return Request{"WHO", w, std::nullopt};
    case Action::kMsg:
      if (!UserArg(w[0], error)) return std::nullopt;
      return Request{"SEND", {w[0]}, input.text};
    case Action::kAll:
      return Request{"BROADCAST", {}, input.text};
    case Action::kBlock:
    case Action::kUnblock:
      if (!UserArg(w[0], error)) return std::nullopt;
      return Request{input.spec->action == Action::kBlock ? "BLOCK" : "UNBLOCK", {w[0]}, {}};
    case Action::kBlocks:
      return Request{"BLOCKS", {}, {}};
    case Action::kHistory: {
      if (!UserArg(w[0], error)) return std::nullopt;
      if (w.size() > 1 && !PositiveArg(w[1], "COUNT", error)) return std::nullopt;
      const std::string count = w.size() > 1 ? w[1] : std::to_string(kDefaultHistory);
      return Request{"HISTORY", {w[0], "-", count}, {}};
    }
    case Action::kPost:
      return Request{"POST", {}, input.text};
    case Action::kEdit:
      if (!PositiveArg(w[0], "N", error)) return std::nullopt;
      return Request{"EDIT", {w[0]}, input.text};
    case Action::kDelete:
      if (!PositiveArg(w[0], "N", error)) return std::nullopt;
      return Request{"DELETE", {w[0]}, {}};
    case Action::kRead: {
      if (!input.text) return Request{"READ", {}, {}};
      const auto since = ParseSince(*input.text, now_ms);
      if (!since) {
        *error = "'" + *input.text + "' is not a time I understand (see help read)";
        return std::nullopt;
      }
      return Request{"READ", {protocol::FormatTime(*since)}, {}};
    }
    case Action::kPolls:
      return Request{"POLLS", {}, {}};
    case Action::kPoll:
      return Request{"POLLINFO", {w[0]}, {}};
    case Action::kVerify:
      return Request{"VERIFY", {w[0], w[1]}, {}};
    default:
      *error = std::string(input.spec->name) + " is not a single request";
      return std::nullopt;
  }
}

}  // namespace caucus::client
