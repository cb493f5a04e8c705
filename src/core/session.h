// Session: the domain's view of one client connection.
//
// Owned by the server (one per connection, kept alive by shared_ptr while
// a command for it is in flight); the domain holds raw pointers to logged-in
// sessions in Account::sessions and clears them in Caucus::EndSession.
#pragma once

#include <cstdint>
#include <string>

#include "core/types.h"

namespace caucus::core {

class Peer;
struct Account;

struct Session {
  uint64_t id = 0;             // for logs
  std::string address;         // the client's address as the server sees it
  Peer* peer = nullptr;        // null once the connection has gone
  Account* account = nullptr;  // set while logged in
  std::string token_hash;      // of the token this session logged in or resumed with
  TimeMs login_ms = 0;         // when this session logged in or resumed
  uint16_t p2p_tcp = 0;        // announced peer-to-peer ports (0 = none)
  uint16_t p2p_udp = 0;
  bool ended = false;  // EndSession has run

  bool logged_in() const { return account != nullptr; }
};

}  // namespace caucus::core
