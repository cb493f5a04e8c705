#include "http/cidr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace caucus::http {
namespace {

// Parses an address into 4 or 16 bytes; an IPv4-mapped IPv6 address
// becomes IPv4.
bool ParseAddress(std::string_view text, bool* v4, std::array<uint8_t, 16>* bytes) {
  const std::string s(text);
  bytes->fill(0);
  if (::inet_pton(AF_INET, s.c_str(), bytes->data()) == 1) {
    *v4 = true;
    return true;
  }
  if (::inet_pton(AF_INET6, s.c_str(), bytes->data()) != 1) return false;
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped, kMapped + 12, bytes->begin())) {
    std::copy(bytes->begin() + 12, bytes->end(), bytes->begin());
    std::fill(bytes->begin() + 4, bytes->end(), 0);
    *v4 = true;
    return true;
  }
  *v4 = false;
  return true;
}

}  // namespace

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  Cidr c;
  const size_t slash = text.find('/');
  if (!ParseAddress(text.substr(0, slash), &c.v4_, &c.bytes_)) return std::nullopt;
  const int bits = c.v4_ ? 32 : 128;
  c.prefix_ = bits;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), c.prefix_);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
        c.prefix_ < 0 || c.prefix_ > bits) {
      return std::nullopt;
    }
  }
  return c;
}

bool Cidr::Contains(std::string_view address) const {
  bool v4 = false;
  std::array<uint8_t, 16> bytes;
  if (!ParseAddress(address, &v4, &bytes) || v4 != v4_) return false;
  int left = prefix_;
  for (size_t i = 0; left > 0; ++i, left -= 8) {
    const uint8_t mask = left >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - left));
    if ((bytes[i] & mask) != (bytes_[i] & mask)) return false;
  }
  return true;
}

bool IsLoopback(std::string_view address) {
  static const Cidr v4 = *Cidr::Parse("127.0.0.0/8");
  static const Cidr v6 = *Cidr::Parse("::1");
  return v4.Contains(address) || v6.Contains(address);
}

}  // namespace caucus::http
