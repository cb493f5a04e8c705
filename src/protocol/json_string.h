// JSON string literals, for the programs' JSON outputs (the client's
// --json, caucus-bench's --json, caucusd's poll export).
#pragma once

#include <string>
#include <string_view>

namespace caucus::protocol {

// `text` (UTF-8) as a JSON string, quotes included; control characters
// are escaped.
std::string JsonString(std::string_view text);

}  // namespace caucus::protocol
