// EventRouter: what the server sends outside the awaited replies goes to
// the roster (who is online) and to the presenter. A message delivered
// again with an id already shown (stored messages are delivered at least
// once, docs/protocol.md) is dropped.
#pragma once

#include <deque>
#include <string>
#include <unordered_set>

#include "client/link/caller.h"
#include "client/present/presenter.h"
#include "client/roster.h"

namespace caucus::client {

// Takes the peer-to-peer events (INVITED, ACCEPTED, DECLINED); true when it
// handled (and showed) the event.
class PeerEvents {
 public:
  virtual ~PeerEvents() = default;
  virtual bool OnPeerEvent(const Line& event) = 0;
};

class EventRouter : public EventSink {
 public:
  EventRouter(Presenter& out, Roster& roster) : out_(out), roster_(roster) {}

  // Where INVITED, ACCEPTED and DECLINED go (null: shown as they are).
  void set_peers(PeerEvents* peers) { peers_ = peers; }

  void OnEvent(const Line& event) override;
  void OnLateReply(const Reply& reply) override;
  void OnUnexpected(std::string_view line) override;

 private:
  // True the first time a MSG id is seen; remembers the latest kRemembered.
  bool FirstTime(const std::string& id);

  static constexpr size_t kRemembered = 4096;
  Presenter& out_;
  Roster& roster_;
  PeerEvents* peers_ = nullptr;
  std::unordered_set<std::string> seen_;
  std::deque<std::string> order_;
};

}  // namespace caucus::client
