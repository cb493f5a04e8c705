#include "protocol/command.h"

#include "protocol/utf8.h"

namespace caucus::protocol {

bool IsValidTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 32) return false;
  for (char c : tag) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

ParseStatus ParseCommand(std::string_view line, Command* out) {
  out->tag.clear();
  out->verb.clear();
  out->params.clear();
  out->trailing = false;
  if (!IsCleanText(line)) return ParseStatus::kBadEncoding;

  size_t i = 0;
  const auto skip_spaces = [&] {
    while (i < line.size() && line[i] == ' ') ++i;
  };
  const auto next_word = [&] {
    const size_t begin = i;
    while (i < line.size() && line[i] != ' ') ++i;
    return line.substr(begin, i - begin);
  };

  skip_spaces();
  if (i == line.size()) return ParseStatus::kEmpty;
  if (line[i] == '@') {
    ++i;
    const std::string_view tag = next_word();
    if (!IsValidTag(tag)) return ParseStatus::kBadTag;
    out->tag.assign(tag);
    skip_spaces();
  }
  if (i == line.size() || line[i] == ':') return ParseStatus::kNoVerb;
  const std::string_view verb = next_word();
  out->verb.reserve(verb.size());
  for (char c : verb) out->verb.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);

  // Room for the usual verb's parameters at once (one allocation, not one
  // per doubling).
  if (i < line.size()) out->params.reserve(4);
  while (true) {
    skip_spaces();
    if (i == line.size()) break;
    if (line[i] == ':') {
      out->params.emplace_back(line.substr(i + 1));
      out->trailing = true;
      break;
    }
    out->params.emplace_back(next_word());
  }
  return ParseStatus::kOk;
}

}  // namespace caucus::protocol
