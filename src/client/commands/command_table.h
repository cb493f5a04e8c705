// The commands people type, their aliases and their help.
//
// Names are lower-case words; aliases keep the spelling of the tools Caucus
// replaces (MSG, DLT, whoelse, ...). A word typed exactly as a name or alias
// means that command; otherwise a case-insensitive match counts when it is
// unique ("WHO" is who, but "Msg" could be msg or MSG).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caucus::client {

enum class Action {
  kHelp,
  kWho,
  kMsg,
  kAll,
  kBlock,
  kUnblock,
  kBlocks,
  kHistory,
  kPost,
  kEdit,
  kDelete,
  kRead,
  kPolls,
  kPoll,
  kVote,
  kResults,
  kVerify,
  kTalk,
  kAccept,
  kDecline,
  kPrivate,
  kEndTalk,
  kSendFile,
  kPasswd,
  kLogout,
  kQuit,
  kDetach,
};

// What follows the words: nothing, free text (the rest of the line, spaces
// kept) that may be left out, or text that must be there.
enum class Text { kNone, kOptional, kRequired };

struct CommandSpec {
  Action action;
  std::string_view name;
  std::string_view usage;    // the arguments, e.g. "USER TEXT"
  std::string_view summary;  // one line for `help`
  size_t min_words;          // words before the text
  size_t max_words;
  Text text;
  bool names_user;  // the first word is a user name (for tab completion)
};

struct AliasSpec {
  std::string_view alias;
  Action action;
  std::string_view usage;  // as typed with the alias
  // Typed without some of its words or its text, the command asks for
  // them (the seeds' bare PM and DM: "To:", "Message:").
  bool prompts = false;
};

const std::vector<CommandSpec>& Commands();
const std::vector<AliasSpec>& Aliases();

// The command that `Action` names.
const CommandSpec& SpecOf(Action action);

struct Lookup {
  const CommandSpec* spec = nullptr;  // null when none matched
  const AliasSpec* alias = nullptr;   // the alias typed, when it was one
  std::string error;                  // why, in words, when none matched
};

// Finds the command a typed word means (name or alias; see above).
Lookup FindCommand(std::string_view word);

// Every name and alias, for completion.
std::vector<std::string> CommandWords();

// The `help` text: every command, the aliases and how times are written;
// lines joined by newlines, without a final one.
std::string HelpText();

// Help for one command or alias; empty when `word` is neither.
std::string HelpFor(std::string_view word);

}  // namespace caucus::client
