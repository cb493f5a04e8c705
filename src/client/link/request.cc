#include "client/link/request.h"

#include "protocol/line_builder.h"

namespace caucus::client {

bool Render(const Request& request, std::string_view tag, std::string* out) {
  if (!protocol::IsWord(request.verb)) return false;
  for (const auto& w : request.words) {
    if (!protocol::IsWord(w)) return false;
  }
  if (request.text &&
      request.text->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    return false;
  }
  protocol::LineBuilder b(*out, tag);
  b.Word(request.verb);
  for (const auto& w : request.words) b.Word(w);
  if (request.text) b.Trailing(*request.text);
  b.End();
  return true;
}

std::string ToLine(const Request& request) {
  std::string line;
  if (!Render(request, {}, &line)) return {};
  line.pop_back();
  return line;
}

}  // namespace caucus::client
