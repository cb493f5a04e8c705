#include "client/roster.h"

#include "protocol/names.h"

namespace caucus::client {

void Roster::OnEvent(const Line& event) {
  if (event.verb != "PRESENCE" || event.params.size() < 2) return;
  const std::string& name = event.params[0];
  if (event.params[1] == "online") {
    online_[protocol::FoldName(name)] = name;
  } else {
    online_.erase(protocol::FoldName(name));
  }
}

void Roster::OnWho(const Reply& reply) {
  if (!reply.ok || reply.verb != "WHO") return;
  online_.clear();
  for (const auto& u : reply.data) {
    if (u.verb == "USER" && u.Param(2) == "online")
      online_[protocol::FoldName(u.Param(0))] = u.Param(0);
  }
}

std::vector<std::string> Roster::Matching(std::string_view prefix) const {
  const std::string folded = protocol::FoldName(prefix);
  std::vector<std::string> out;
  for (auto it = online_.lower_bound(folded); it != online_.end(); ++it) {
    if (it->first.compare(0, folded.size(), folded) != 0) break;
    out.push_back(it->second);
  }
  return out;
}

}  // namespace caucus::client
