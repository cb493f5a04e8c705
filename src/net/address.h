// Client addresses as text, the way logs, limits and P2P show them.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>

namespace caucus::net {

// IPv4 as dotted quad, IPv6 as RFC 5952 text; an IPv4-mapped IPv6 address
// (from a dual-stack listener) is shown as the IPv4 address it maps.
std::string AddressText(const boost::asio::ip::address& address);

}  // namespace caucus::net
