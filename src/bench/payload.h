// The text of a benchmark message. It carries who sent it, its sequence
// number and the sender's clock when it was sent (steady clock, nanoseconds;
// sender and receiver share the process, so the clock is the same), padded
// to a fixed size: "3.17.123456789." followed by 'x' up to the size.
//
// The text holds only digits, '.' and 'x', so it fits every protocol's
// trailing parameter or payload unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caucus::bench {

struct Stamp {
  int64_t sender = 0;
  int64_t seq = 0;
  int64_t sent_ns = 0;
};

// Appends the text of `stamp` to `out`, padded to `size` bytes (longer when
// the stamp itself needs more). REQUIRES: fields are non-negative.
void AppendPayload(std::string& out, const Stamp& stamp, size_t size);

// Reads a stamp back from a text made by AppendPayload; nullopt otherwise.
std::optional<Stamp> ParsePayload(std::string_view text);

// Now on the steady clock, in nanoseconds: the clock stamps are read on.
int64_t NowNs();

}  // namespace caucus::bench
