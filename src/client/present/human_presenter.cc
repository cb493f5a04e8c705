#include "client/present/human_presenter.h"

namespace caucus::client {

void HumanPresenter::ShowReply(const Request& request, const Reply& reply) {
  const std::string text = formatter_.Reply(request, reply);
  if (text.empty()) return;
  if (reply.ok) {
    printer_.Print(text);
  } else {
    printer_.PrintError(text);
  }
}

void HumanPresenter::ShowEvent(const Line& event) {
  const std::string text = formatter_.Event(event);
  if (!text.empty()) printer_.Print(text);
}

void HumanPresenter::Info(std::string_view text) { printer_.Print(formatter_.Notice(text)); }

void HumanPresenter::Text(std::string_view text) { printer_.Print(text); }

void HumanPresenter::Error(std::string_view text) { printer_.PrintError(formatter_.Error(text)); }

void HumanPresenter::Peer(const PeerNotice& notice) {
  if (notice.event == "private" || notice.event == "private_sent") {
    printer_.Print(notice.text);
  } else if (notice.error) {
    Error(notice.text);
  } else {
    Info(notice.text);
  }
}

}  // namespace caucus::client
