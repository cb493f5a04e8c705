#include "client/event_router.h"

namespace caucus::client {

bool EventRouter::FirstTime(const std::string& id) {
  if (!seen_.insert(id).second) return false;
  order_.push_back(id);
  if (order_.size() > kRemembered) {
    seen_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

void EventRouter::OnEvent(const Line& event) {
  if (event.verb == "MSG" && !FirstTime(event.Param(0))) return;
  roster_.OnEvent(event);
  if (peers_ && peers_->OnPeerEvent(event)) return;
  out_.ShowEvent(event);
}

void EventRouter::OnLateReply(const Reply& reply) {
  out_.ShowReply({reply.verb, {}, std::nullopt}, reply);
}

void EventRouter::OnUnexpected(std::string_view line) {
  out_.Error("the server sent a line this client does not understand: " + std::string(line));
}

}  // namespace caucus::client
