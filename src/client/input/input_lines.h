// InputLines: the lines of a script on a file descriptor (stdin when it is
// not a terminal), read as they arrive so that the caller can poll() it
// together with the socket.
#pragma once

#include <optional>
#include <string>

namespace caucus::client {

class InputLines {
 public:
  explicit InputLines(int fd) : fd_(fd) {}

  int fd() const { return fd_; }

  // Reads once (call when fd() is readable, so it does not block).
  void Read();

  // The next complete line, without its LF (and CR); at the end of the
  // input, also a last line that has no LF.
  std::optional<std::string> Next();

  // The input has ended and every line was taken.
  bool ended() const { return eof_ && buf_.empty(); }

 private:
  int fd_;
  std::string buf_;
  bool eof_ = false;
};

}  // namespace caucus::client
