// Roster: the names of the users known to be online, kept from WHO replies
// and PRESENCE events, for tab completion.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "client/link/reply.h"

namespace caucus::client {

class Roster {
 public:
  // Takes what an event or a WHO reply says about who is online; other
  // lines are ignored.
  void OnEvent(const Line& event);
  void OnWho(const Reply& reply);

  // Online names starting with `prefix`, without regard to case, sorted.
  std::vector<std::string> Matching(std::string_view prefix) const;

 private:
  std::map<std::string, std::string> online_;  // folded name -> name as shown
};

}  // namespace caucus::client
