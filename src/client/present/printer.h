// Printer: where text for people goes. The terminal's prints above the
// prompt (LineEditor); StreamPrinter writes to stdout and stderr.
#pragma once

#include <cstdio>
#include <string_view>

namespace caucus::client {

class Printer {
 public:
  virtual ~Printer() = default;
  // Prints `text` and a newline.
  virtual void Print(std::string_view text) = 0;
  virtual void PrintError(std::string_view text) = 0;
};

class StreamPrinter : public Printer {
 public:
  StreamPrinter(std::FILE* out, std::FILE* err) : out_(out), err_(err) {}
  void Print(std::string_view text) override { Write(out_, text); }
  void PrintError(std::string_view text) override {
    std::fflush(out_);
    Write(err_, text);
  }

 private:
  static void Write(std::FILE* f, std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), f);
    std::fputc('\n', f);
    std::fflush(f);
  }
  std::FILE* out_;
  std::FILE* err_;
};

}  // namespace caucus::client
