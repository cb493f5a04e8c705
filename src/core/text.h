// Checks of free text (messages, posts, poll titles and option labels).
#pragma once

#include <optional>
#include <string_view>

#include "core/outcome.h"

namespace caucus::core {

// Text is 1 to max_bytes bytes: empty is BAD_ARGUMENTS, longer is TOO_LONG.
inline std::optional<Failure> CheckText(std::string_view text, size_t max_bytes) {
  if (text.empty()) return Fail(protocol::Code::kBadArguments);
  if (text.size() > max_bytes) return Fail(protocol::Code::kTooLong);
  return std::nullopt;
}

}  // namespace caucus::core
