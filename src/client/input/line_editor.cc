#include "client/input/line_editor.h"

// readline.h uses FILE without including <cstdio>.
// clang-format off
#include <cstdio>
#include <editline/readline.h>
// clang-format on
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace caucus::client {
namespace {

constexpr int kHistorySize = 1000;

// The state libedit's C callbacks reach: there is one LineEditor at a time.
struct Global {
  LineEditor::Completer completer;
  std::vector<std::string> candidates;
  std::optional<std::string> line;  // set by OnLine
  bool ended = false;
};
Global* g = nullptr;

void OnLine(char* text) {
  if (text == nullptr) {
    g->ended = true;
    return;
  }
  g->line.emplace(text);
  std::free(text);
}

char* NextCandidate(const char*, int state) {
  static size_t next;
  if (state == 0) next = 0;
  if (next >= g->candidates.size()) return nullptr;
  return ::strdup(g->candidates[next++].c_str());
}

char** Complete(const char* text, int start, int) {
  rl_attempted_completion_over = 1;
  const std::string_view before(rl_line_buffer, static_cast<size_t>(start));
  g->candidates = g->completer(before, text);
  if (g->candidates.empty()) return nullptr;
  return rl_completion_matches(text, NextCandidate);
}

// Columns that `text` takes, counting one per UTF-8 character.
size_t Columns(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

LineEditor::LineEditor(Completer completer, std::string history_path)
    : history_path_(std::move(history_path)) {
  g = new Global{std::move(completer), {}, {}, false};
  rl_readline_name = "caucus";
  rl_catch_signals = 0;  // the client's own handlers (signals.h) stay in place
  rl_attempted_completion_function = Complete;
  rl_basic_word_break_characters = " \t";
  rl_initialize();
  using_history();
  stifle_history(kHistorySize);
  if (!history_path_.empty()) read_history(history_path_.c_str());
}

LineEditor::~LineEditor() {
  Stop();
  if (!history_path_.empty() && write_history(history_path_.c_str()) == 0) {
    ::chmod(history_path_.c_str(), 0600);
  }
  delete g;
  g = nullptr;
}

void LineEditor::Start(const std::string& prompt, bool remember, const std::string& typed) {
  if (active_ && prompt == prompt_) return;
  if (active_) Stop();
  prompt_ = prompt;
  remember_ = remember;
  g->line.reset();
  g->ended = false;
  rl_callback_handler_install(prompt_.c_str(), OnLine);
  active_ = true;
  fed_ = false;
  put_back_ = typed;
  if (!typed.empty()) {
    rl_insert_text(typed.c_str());
    rl_redisplay();
  }
}

std::string LineEditor::Typed() const {
  if (!active_) return {};
  // libedit brings rl_line_buffer up to date only as keys are read: before
  // the first one it still holds the previous line.
  if (!fed_) return put_back_;
  if (rl_line_buffer == nullptr || rl_end <= 0) return {};
  return std::string(rl_line_buffer, static_cast<size_t>(rl_end));
}

void LineEditor::ClearLine() {
  if (!active_) return;
  const std::string prompt = prompt_;
  const bool remember = remember_;
  Stop();
  Start(prompt, remember);  // a handler installed again starts from an empty line
}

LineEditor::Status LineEditor::Feed(std::string* line) {
  rl_callback_read_char();
  fed_ = true;
  if (g->ended) {
    active_ = false;
    rl_callback_handler_remove();
    std::fputs("\n", stdout);
    std::fflush(stdout);
    return Status::kEnd;
  }
  if (!g->line) return Status::kTyping;
  active_ = false;
  rl_callback_handler_remove();
  *line = std::move(*g->line);
  g->line.reset();
  if (remember_ && !line->empty()) add_history(line->c_str());
  return Status::kLine;
}

void LineEditor::Erase() {
  int rows = 0, cols = 0;
  rl_get_screen_size(&rows, &cols);
  const std::string_view typed =
      fed_ ? std::string_view(rl_line_buffer, static_cast<size_t>(std::max(rl_point, 0)))
           : std::string_view(put_back_);
  const size_t before = Columns(prompt_) + Columns(typed);
  const size_t up = cols > 0 ? before / static_cast<size_t>(cols) : 0;
  std::fputs("\r", stdout);
  if (up > 0) std::fprintf(stdout, "\033[%zuA", up);
  std::fputs("\033[J", stdout);
}

void LineEditor::Stop() {
  if (!active_) return;
  Erase();
  std::fflush(stdout);
  rl_callback_handler_remove();
  active_ = false;
}

void LineEditor::Redraw(bool resumed) {
  if (!active_) return;
  if (resumed) {
    rl_deprep_terminal();
    rl_prep_terminal(0);
  }
  rl_resize_terminal();
  rl_forced_update_display();
}

void LineEditor::Print(std::string_view text) {
  if (active_) Erase();
  if (!secret_prompt_.empty()) std::fputs("\r\033[K", stdout);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputs("\n", stdout);
  if (!secret_prompt_.empty()) std::fputs(secret_prompt_.c_str(), stdout);
  std::fflush(stdout);
  if (active_) rl_forced_update_display();
}

}  // namespace caucus::client
