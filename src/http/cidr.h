// Cidr: an address range ("10.0.0.0/8", "fd00::/8", or one address) for
// --metrics-allow.
//
// Pure: no sockets.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace caucus::http {

class Cidr {
 public:
  // Parses "address/prefix" or a bare address (a prefix of its full
  // length); nullopt when it is neither.
  static std::optional<Cidr> Parse(std::string_view text);

  // Whether `address` (IPv4 dotted quad or IPv6 text; an IPv4-mapped IPv6
  // address counts as its IPv4 address) lies in the range.
  bool Contains(std::string_view address) const;

 private:
  bool v4_ = false;
  std::array<uint8_t, 16> bytes_{};
  int prefix_ = 0;
};

// Whether `address` is a loopback address (127.0.0.0/8, ::1).
bool IsLoopback(std::string_view address);

}  // namespace caucus::http
