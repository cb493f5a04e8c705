#include "protocol/codes.h"

namespace caucus::protocol {
namespace {

struct Entry {
  std::string_view wire;
  std::string_view text;
};

constexpr Entry kCodes[] = {
#define CAUCUS_X(id, wire, text) {wire, text},
    CAUCUS_ERROR_CODES(CAUCUS_X)
#undef CAUCUS_X
};

constexpr Entry kByes[] = {
#define CAUCUS_X(id, wire, text) {wire, text},
    CAUCUS_BYE_REASONS(CAUCUS_X)
#undef CAUCUS_X
};

}  // namespace

std::string_view CodeName(Code code) { return kCodes[static_cast<int>(code)].wire; }
std::string_view CodeText(Code code) { return kCodes[static_cast<int>(code)].text; }
std::string_view ByeName(Bye reason) { return kByes[static_cast<int>(reason)].wire; }
std::string_view ByeText(Bye reason) { return kByes[static_cast<int>(reason)].text; }

}  // namespace caucus::protocol
