#include "client/commands/command_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace caucus::client {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

constexpr std::string_view kSinceHelp =
    "SINCE is a time: 10m, 2h or 3d ago; 14:30 today; 2026-11-21 or 2026-11-21 14:30;\n"
    "21 Nov 2026 14:30:00; or RFC 3339 (2026-11-21T14:30:00Z). Times are local.\n";

constexpr std::string_view kTimeHelp =
    "TIME names the post to change, as read shows its time (14:30:05 today, 2026-11-20 14:30:05\n"
    "or 20 Nov 2026 14:30:05 before): a post with another time is left alone.\n";

constexpr std::string_view kPeerHelp =
    "Private chats and files go straight between clients; the server only introduces you.\n"
    "A file from alice named report.pdf is saved in --downloads DIR (default: here) as\n"
    "alice_report.pdf (alice_report-1.pdf if taken), only once its SHA-256 matches;\n"
    "--accept-files accepts every file offered.\n";

std::string Usage(std::string_view word, std::string_view args) {
  std::string s(word);
  if (!args.empty()) s.append(" ").append(args);
  return s;
}

}  // namespace

const std::vector<CommandSpec>& Commands() {
  using A = Action;
  using T = Text;
  static const std::vector<CommandSpec> kCommands = {
      {A::kHelp, "help", "[COMMAND]", "list the commands, or explain one", 0, 1, T::kNone, false},
      {A::kWho, "who", "[SECONDS]",
       "who is online; with SECONDS, also who was online within that many seconds", 0, 1, T::kNone,
       false},
      {A::kMsg, "msg", "USER TEXT", "send USER a direct message (kept for them if offline)", 1, 1,
       T::kRequired, true},
      {A::kAll, "all", "TEXT", "send a message to everyone online", 0, 0, T::kRequired, false},
      {A::kBlock, "block", "USER", "stop USER's messages and hide from them", 1, 1, T::kNone, true},
      {A::kUnblock, "unblock", "USER", "undo block", 1, 1, T::kNone, true},
      {A::kBlocks, "blocks", "", "list the users you block", 0, 0, T::kNone, false},
      {A::kHistory, "history", "USER [COUNT]",
       "your latest direct messages with USER (COUNT of them, default 20)", 1, 2, T::kNone, true},
      {A::kPost, "post", "TEXT", "post TEXT on the public board", 0, 0, T::kRequired, false},
      {A::kEdit, "edit", "N [TIME] TEXT",
       "replace the text of your board post N; with TIME (the post's time as read shows it), only "
       "if post N has that time",
       1, 1, T::kRequired, false},
      {A::kDelete, "delete", "N [TIME]",
       "delete board post N (yours); with TIME, only if post N has that time", 1, 1, T::kOptional,
       false},
      {A::kRead, "read", "[SINCE]",
       "read the board: every post, or those new or edited since SINCE", 0, 0, T::kOptional, false},
      {A::kPolls, "polls", "", "list the polls", 0, 0, T::kNone, false},
      {A::kPoll, "poll", "ID", "show poll ID and its options", 1, 1, T::kNone, false},
      {A::kVote, "vote", "ID [OPTION]",
       "vote in poll ID; without OPTION, choose from a list (several as 1,3 if the poll allows)", 1,
       2, T::kNone, false},
      {A::kResults, "results", "ID", "show the results of poll ID", 1, 1, T::kNone, false},
      {A::kVerify, "verify", "ID RECEIPT", "check which option your ballot in poll ID counts for",
       2, 2, T::kNone, false},
      {A::kTalk, "talk", "USER",
       "ask USER for a private chat, straight between your clients (they accept or decline)", 1, 1,
       T::kNone, true},
      {A::kAccept, "accept", "ID", "accept the private chat or file offered to you as ID", 1, 1,
       T::kNone, false},
      {A::kDecline, "decline", "ID", "decline the private chat or file offered to you as ID", 1, 1,
       T::kNone, false},
      {A::kPrivate, "p", "USER TEXT", "write TEXT in your private chat with USER", 1, 1,
       T::kRequired, true},
      {A::kEndTalk, "endtalk", "USER", "end your private chat with USER", 1, 1, T::kNone, true},
      {A::kSendFile, "sendfile", "USER PATH",
       "offer USER the file at PATH; once accepted it goes straight to them over UDP, checked by "
       "its SHA-256",
       1, 1, T::kRequired, true},
      {A::kPasswd, "passwd", "", "change your password", 0, 0, T::kNone, false},
      {A::kLogout, "logout", "", "log out and leave", 0, 0, T::kNone, false},
      {A::kQuit, "quit", "", "log out and leave (as Ctrl-D does)", 0, 0, T::kNone, false},
      {A::kDetach, "detach", "",
       "leave but stay signed in: the next caucus started here continues your session without "
       "a password",
       0, 0, T::kNone, false},
  };
  return kCommands;
}

const std::vector<AliasSpec>& Aliases() {
  using A = Action;
  static const std::vector<AliasSpec> kAliases = {
      {"whoelse", A::kWho, ""},
      {"whoelsesince", A::kWho, "SECONDS"},
      {"ATU", A::kWho, ""},
      {"message", A::kMsg, "USER TEXT"},
      {"DM", A::kMsg, "[USER [TEXT]]", true},
      {"broadcast", A::kAll, "TEXT"},
      {"PM", A::kAll, "[TEXT]", true},
      {"MSG", A::kPost, "TEXT"},
      {"EDT", A::kEdit, "N [TIME] TEXT"},
      {"DLT", A::kDelete, "N [TIME]"},
      {"RDM", A::kRead, "[SINCE]"},
      {"OUT", A::kLogout, ""},
      {"EX", A::kQuit, ""},
      {"exit", A::kQuit, ""},
      {"?", A::kHelp, "[COMMAND]"},
      {"startprivate", A::kTalk, "USER"},
      {"private", A::kPrivate, "USER TEXT"},
      {"stopprivate", A::kEndTalk, "USER"},
      {"UPD", A::kSendFile, "USER PATH"},
  };
  return kAliases;
}

const CommandSpec& SpecOf(Action action) {
  for (const auto& c : Commands()) {
    if (c.action == action) return c;
  }
  return Commands().front();  // unreachable: every Action has a spec
}

Lookup FindCommand(std::string_view word) {
  for (const auto& c : Commands()) {
    if (c.name == word) return {&c, nullptr, {}};
  }
  for (const auto& a : Aliases()) {
    if (a.alias == word) return {&SpecOf(a.action), &a, {}};
  }
  const std::string folded = Lower(word);
  std::vector<std::string_view> matches;
  Lookup found;
  for (const auto& c : Commands()) {
    if (c.name == folded) {
      matches.push_back(c.name);
      found = {&c, nullptr, {}};
    }
  }
  for (const auto& a : Aliases()) {
    if (Lower(a.alias) == folded) {
      matches.push_back(a.alias);
      found = {&SpecOf(a.action), &a, {}};
    }
  }
  if (matches.size() == 1) return found;
  Lookup none;
  if (matches.empty()) {
    none.error = fmt::format("unknown command '{}' (type help for the list)", word);
  } else {
    none.error = fmt::format("'{}' could mean", word);
    for (size_t i = 0; i < matches.size(); ++i) {
      const CommandSpec& spec = *FindCommand(matches[i]).spec;
      none.error += fmt::format("{}{}", i == 0 ? " " : " or ", matches[i]);
      if (spec.name != matches[i]) none.error += " (" + std::string(spec.name) + ")";
    }
    none.error += "; the case matters";
  }
  return none;
}

std::vector<std::string> CommandWords() {
  std::vector<std::string> words;
  for (const auto& c : Commands()) words.emplace_back(c.name);
  for (const auto& a : Aliases()) words.emplace_back(a.alias);
  return words;
}

std::string HelpText() {
  std::string out = "Commands (TEXT is the rest of the line; Tab completes commands and names):\n";
  size_t width = 0;
  for (const auto& c : Commands()) width = std::max(width, Usage(c.name, c.usage).size());
  for (const auto& c : Commands()) {
    std::string u = Usage(c.name, c.usage);
    u.resize(width + 2, ' ');
    out += "  " + u + std::string(c.summary) + "\n";
  }
  out += "Also accepted, as in the tools Caucus replaces:\n";
  for (const auto& a : Aliases()) {
    std::string u = Usage(a.alias, a.usage);
    u.resize(width + 2, ' ');
    const CommandSpec& spec = SpecOf(a.action);
    out += "  " + u + "= " +
           (a.prompts ? Usage(spec.name, spec.usage) + ", asking for what is left out"
                      : Usage(spec.name, a.usage)) +
           "\n";
  }
  out += kSinceHelp;
  out += kTimeHelp;
  out += kPeerHelp;
  out.pop_back();
  return out;
}

std::string HelpFor(std::string_view word) {
  const Lookup found = FindCommand(word);
  if (!found.spec) return {};
  const CommandSpec& c = *found.spec;
  std::string out = Usage(c.name, c.usage) + "\n  " + std::string(c.summary) + "\n";
  std::string aliases;
  for (const auto& a : Aliases()) {
    if (a.action == c.action) aliases += (aliases.empty() ? "" : ", ") + std::string(a.alias);
  }
  if (!aliases.empty()) out += "  also: " + aliases + "\n";
  if (c.action == Action::kRead) out += kSinceHelp;
  if (c.action == Action::kEdit || c.action == Action::kDelete) out += kTimeHelp;
  if (c.action == Action::kTalk || c.action == Action::kSendFile || c.action == Action::kAccept) {
    out += kPeerHelp;
  }
  out.pop_back();
  return out;
}

}  // namespace caucus::client
