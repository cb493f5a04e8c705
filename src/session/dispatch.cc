#include "session/dispatch.h"

#include <string>
#include <unordered_map>

namespace caucus::session {

const Verb* FindVerb(std::string_view name) {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string_view, Verb>();
    for (auto group : {AccountVerbs(), MessageVerbs(), BoardVerbs(), PollVerbs(), PeerVerbs()}) {
      for (const Verb& v : group) t->emplace(v.name, v);
    }
    return t;
  }();
  auto it = table->find(name);
  return it == table->end() ? nullptr : &it->second;
}

}  // namespace caucus::session
