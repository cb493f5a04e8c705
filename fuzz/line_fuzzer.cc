// libFuzzer harness: the line framer and parser on arbitrary bytes.
//
// Invariants checked: no frame is longer than the limit; a parsed command
// has an upper-case verb without spaces; no parameter but the last holds a
// space; no parameter holds CR, LF or NUL.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/command.h"
#include "protocol/framer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using caucus::protocol::LineFramer;
  constexpr size_t kMaxLine = 512;
  LineFramer framer(kMaxLine);
  // Feed in uneven pieces so that lines straddle reads.
  size_t at = 0;
  size_t piece = 1;
  while (at < size) {
    const size_t n = std::min(piece, size - at);
    framer.Append(std::string_view(reinterpret_cast<const char*>(data) + at, n));
    at += n;
    piece = piece * 3 % 97 + 1;
    for (auto f = framer.Next(); f.kind != LineFramer::Kind::kNone; f = framer.Next()) {
      if (f.kind != LineFramer::Kind::kLine) continue;
      if (f.line.size() >= kMaxLine) std::abort();
      caucus::protocol::Command cmd;
      if (caucus::protocol::ParseCommand(f.line, &cmd) != caucus::protocol::ParseStatus::kOk) {
        continue;
      }
      for (char c : cmd.verb) {
        if (c == ' ' || (c >= 'a' && c <= 'z')) std::abort();
      }
      for (size_t i = 0; i < cmd.params.size(); ++i) {
        const auto& p = cmd.params[i];
        if (p.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) std::abort();
        if (i + 1 < cmd.params.size() && p.find(' ') != std::string::npos) std::abort();
      }
    }
    framer.Compact();
  }
  return 0;
}
