#include "client/input/terminal_prompter.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include "client/input/signals.h"
#include "client/input/waiter.h"

namespace caucus::client {

Got ReadTerminalLine(LineEditor& editor, Link& link, const std::string& prompt, bool remember,
                     bool report_lost, std::string* line, const std::string& typed) {
  editor.Start(prompt, remember, typed);
  while (true) {
    switch (WaitForInput(STDIN_FILENO, link)) {
      case Woke::kQuit:
        if (signals::QuitSignal() == SIGINT && !editor.Typed().empty()) {
          signals::ClearQuit();
          editor.ClearLine();
          break;
        }
        editor.Stop();
        return Got::kQuit;
      case Woke::kLinkLost:
        if (report_lost) return Got::kLinkLost;
        break;
      case Woke::kRedraw: {
        bool resumed;
        if (signals::TakeRedraw(&resumed)) editor.Redraw(resumed);
        break;
      }
      case Woke::kInput:
        switch (editor.Feed(line)) {
          case LineEditor::Status::kTyping:
            break;
          case LineEditor::Status::kLine:
            return Got::kLine;
          case LineEditor::Status::kEnd:
            return Got::kEnd;
        }
        break;
    }
  }
}

Got ReadSecretLine(LineEditor& editor, Link& link, const std::string& prompt, std::string* line) {
  editor.Stop();
  termios saved{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ICANON | ISIG;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::fputs(prompt.c_str(), stdout);
  std::fflush(stdout);
  editor.SetSecretPrompt(prompt);
  std::string typed;
  Got got = Got::kLine;
  while (typed.find('\n') == std::string::npos) {
    const Woke woke = WaitForInput(STDIN_FILENO, link);
    if (woke == Woke::kQuit) {
      got = Got::kQuit;
      break;
    }
    if (woke != Woke::kInput) continue;
    char chunk[256];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      got = Got::kEnd;
      break;
    }
    typed.append(chunk, static_cast<size_t>(n));
  }
  editor.SetSecretPrompt({});
  if (tty) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  std::fputs("\n", stdout);
  std::fflush(stdout);
  if (got == Got::kLine) {
    typed.resize(typed.find('\n'));
    if (!typed.empty() && typed.back() == '\r') typed.pop_back();
    *line = std::move(typed);
  }
  return got;
}

namespace {

// A question given up: Ctrl-C there cancels it, not the whole client.
std::optional<std::string> Answered(Got got, std::string line) {
  if (got == Got::kLine) return line;
  if (got == Got::kQuit && signals::QuitSignal() == SIGINT) signals::ClearQuit();
  return std::nullopt;
}

}  // namespace

std::optional<std::string> TerminalPrompter::Ask(std::string_view question) {
  std::string line;
  const Got got = ReadTerminalLine(editor_, link_, std::string(question), false, false, &line);
  return Answered(got, std::move(line));
}

std::optional<std::string> TerminalPrompter::AskSecret(std::string_view question) {
  std::string line;
  const Got got = ReadSecretLine(editor_, link_, std::string(question), &line);
  return Answered(got, std::move(line));
}

}  // namespace caucus::client
