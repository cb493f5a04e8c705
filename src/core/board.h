// Board: the public message board (PROTOCOL.md "Message board"). Posts
// live in the store; numbers are given by the store and never reused.
//
// Thread-safety: event loop thread only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/accounts.h"
#include "core/outcome.h"
#include "core/world.h"

namespace caucus::core {

class Board {
 public:
  explicit Board(World& world) : w_(world) {}

  struct Stamp {
    int64_t number;
    TimeMs time;
  };
  void Post(SessionRef s, std::string text, Reply<Stamp> done);
  void Edit(SessionRef s, int64_t number, std::string text, Reply<Stamp> done);
  // The author may delete a post; so may an admin (audited).
  void Delete(SessionRef s, int64_t number, Reply<int64_t> done);

  struct Entry {
    int64_t number;
    TimeMs created;
    std::string author;
    TimeMs edited;  // 0 = never
    std::string text;
  };
  // Posts created or edited after `since` (all without), by number.
  void Read(SessionRef s, std::optional<TimeMs> since, Reply<std::vector<Entry>> done);

 private:
  // Tells the sessions that watch the board, but `by`'s own, of a change
  // (an extension): POSTED <n> new|edited|deleted <time> <name> [:<text>].
  void Tell(const Session* by, int64_t number, std::string_view change, TimeMs when,
            const std::string& name, const std::string* text);

  World& w_;
};

}  // namespace caucus::core
