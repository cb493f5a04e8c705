#include "net/address.h"

namespace caucus::net {

std::string AddressText(const boost::asio::ip::address& address) {
  if (address.is_v6()) {
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) {
      return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
    }
    return v6.to_string();
  }
  return address.to_string();
}

}  // namespace caucus::net
