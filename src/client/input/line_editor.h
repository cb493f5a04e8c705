// LineEditor: the prompt and the line being typed, on libedit's readline
// emulation in callback mode, so that the caller's poll() loop can watch
// the socket too. Keys are taken one by one (Feed) when stdin is readable.
//
// Print() writes text above the prompt: the prompt and the half-typed line
// are cleared, the text printed, and both drawn again below it with the
// cursor where it was. While no prompt is shown, Print() just prints.
//
// Offers history (saved to a file between runs) and tab completion.
//
// libedit's readline emulation is global state: one LineEditor at a time,
// on stdin and stdout, used from the main thread only.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "client/present/printer.h"

namespace caucus::client {

class LineEditor : public Printer {
 public:
  // The candidates to complete `word` with, given the text before it.
  using Completer =
      std::function<std::vector<std::string>(std::string_view before, std::string_view word)>;

  // `history_path` (empty for none) is read now and written back at
  // destruction, mode 0600.
  LineEditor(Completer completer, std::string history_path);
  ~LineEditor() override;
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // Shows `prompt` and starts taking keys. With `remember`, the line goes
  // to the history. Does nothing when that prompt is already shown (so a
  // half-typed line survives). `typed` is put back on the line, as if it
  // had been typed (a line set aside by Stop()).
  void Start(const std::string& prompt, bool remember, const std::string& typed = {});

  // What is typed on the line being edited; empty when no prompt is shown.
  std::string Typed() const;

  // Ctrl-C on a half-typed line: the line is dropped and the prompt shown
  // again, empty (as shells and irssi do).
  void ClearLine();

  enum class Status {
    kTyping,  // keep feeding
    kLine,    // *line holds the line entered; the prompt is gone
    kEnd,     // Ctrl-D on an empty line; the prompt is gone
  };
  // Takes the key waiting on stdin. REQUIRES: Start() was called since the
  // last line ended.
  Status Feed(std::string* line);

  // Takes the prompt and the half-typed line off the screen and stops.
  void Stop();

  // The terminal was resized, or resumed after Ctrl-Z (`resumed`): sets
  // its modes again when needed and draws the prompt line again.
  void Redraw(bool resumed);

  // While a password is typed (without echo, not through libedit), Print()
  // shows `prompt` again below what it prints. Empty: no such prompt.
  void SetSecretPrompt(std::string prompt) { secret_prompt_ = std::move(prompt); }

  // Printer
  void Print(std::string_view text) override;
  void PrintError(std::string_view text) override { Print(text); }

 private:
  // Clears the prompt and the typed line from the screen, cursor at the
  // start of the line they began on.
  void Erase();

  std::string history_path_;
  std::string prompt_;
  std::string secret_prompt_;
  bool active_ = false;
  bool remember_ = false;
  bool fed_ = false;      // a key was read since Start()
  std::string put_back_;  // the text Start() put on the line
};

}  // namespace caucus::client
