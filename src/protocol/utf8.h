// Validation of received text: strict UTF-8 and the control bytes the
// protocol forbids. Pure functions, no allocation.
#pragma once

#include <string_view>

namespace caucus::protocol {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) and holds no control byte
// (0x00-0x1F, 0x7F) other than TAB.
bool IsCleanText(std::string_view text);

// True when `text` is well-formed UTF-8; control bytes are not checked.
bool IsValidUtf8(std::string_view text);

}  // namespace caucus::protocol
