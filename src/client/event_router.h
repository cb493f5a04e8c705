// EventRouter: what the server sends outside the awaited replies goes to
// the roster (who is online) and to the presenter. A message delivered
// again with an id already shown (stored messages are delivered at least
// once, docs/protocol.md) is dropped.
#pragma once

#include <deque>
#include <string>
#include <unordered_set>

#include "client/caller.h"
#include "client/presenter.h"
#include "client/roster.h"

namespace caucus::client {

class EventRouter : public EventSink {
 public:
  EventRouter(Presenter& out, Roster& roster) : out_(out), roster_(roster) {}

  void OnEvent(const Line& event) override;
  void OnLateReply(const Reply& reply) override;
  void OnUnexpected(std::string_view line) override;

 private:
  // True the first time a MSG id is seen; remembers the latest kRemembered.
  bool FirstTime(const std::string& id);

  static constexpr size_t kRemembered = 4096;
  Presenter& out_;
  Roster& roster_;
  std::unordered_set<std::string> seen_;
  std::deque<std::string> order_;
};

}  // namespace caucus::client
