// Session: the domain's view of one client connection.
//
// Owned by the server (one per connection, kept alive by shared_ptr while
// a command for it is in flight); the domain holds raw pointers to logged-in
// sessions in Account::sessions and clears them in Caucus::EndSession.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/types.h"

namespace caucus::core {

class Peer;
struct Account;

// The hash of a session token (32 bytes), held inline: a session costs no
// allocation for it.
class TokenHash {
 public:
  TokenHash() = default;
  explicit TokenHash(std::string_view raw) : set_(true) {
    std::copy_n(raw.begin(), std::min(raw.size(), bytes_.size()), bytes_.begin());
  }
  bool empty() const { return !set_; }
  std::string str() const { return set_ ? std::string(bytes_.data(), bytes_.size()) : ""; }
  void clear() { set_ = false; }

 private:
  std::array<char, 32> bytes_{};
  bool set_ = false;
};

struct Session {
  uint64_t id = 0;             // for logs
  std::string address;         // the client's address as the server sees it
  Peer* peer = nullptr;        // null once the connection has gone
  Account* account = nullptr;  // set while logged in
  TokenHash token_hash;        // of the token this session logged in or resumed with
  TimeMs login_ms = 0;         // when this session logged in or resumed
  uint16_t p2p_tcp = 0;        // announced peer-to-peer ports (0 = none)
  uint16_t p2p_udp = 0;
  bool watches_board = false;  // WATCH board: POSTED events for changes made by others
  bool ended = false;          // EndSession has run

  bool logged_in() const { return account != nullptr; }
};

}  // namespace caucus::core
