// Frames: several bus payloads in one broker message.
//
// A node publishes what one turn of its loop says to one subject as one
// NATS message (NatsBus), so a burst of broadcasts costs the broker one
// message and each receiving node one read of it, and reaches each of its
// sessions in one write. Each payload is framed as its length in decimal,
// a newline, then its bytes:
//
//   5\nhello3\nabc
//
// Pure code: no sockets, no bus.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace caucus::bus {

// Appends one framed payload to `out`.
void AppendFrame(std::string* out, std::string_view payload);

// Calls `fn` with each payload framed in `message`, in order. False (after
// the payloads before it) at the first malformed frame.
bool ForEachFrame(std::string_view message, const std::function<void(std::string_view)>& fn);

}  // namespace caucus::bus
