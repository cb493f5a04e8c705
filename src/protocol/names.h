// Account names (PROTOCOL.md "Framing"): 1 to 64 characters of ASCII
// letters, digits and . _ - @ +, starting with a letter or digit. Names are
// unique without regard to case; FoldName gives the key they are unique by.
#pragma once

#include <string>
#include <string_view>

namespace caucus::protocol {

bool IsValidName(std::string_view name);

// ASCII lower case of `name`.
std::string FoldName(std::string_view name);

// Parses a non-negative decimal integer that fits in int64 (digits only,
// no sign, no leading '+'). Returns false otherwise.
bool ParseCount(std::string_view text, int64_t* value);

}  // namespace caucus::protocol
