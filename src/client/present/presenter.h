// Presenter: how replies, events and the client's own messages are shown:
// as text for people (HumanPresenter) or as JSON lines (JsonPresenter).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/link/reply.h"
#include "client/link/request.h"

namespace caucus::client {

// Something that happened peer to peer (a private chat, a file transfer):
// `event` names it for scripts ("invited", "chat_open", "private",
// "chat_closed", "progress", "sent", "received", "failed", "refused", ...),
// `text` says it for people, `fields` give the details.
struct PeerNotice {
  std::string event;
  std::string text;
  std::vector<std::pair<std::string, std::string>> fields;
  bool error = false;
};

class Presenter {
 public:
  virtual ~Presenter() = default;
  // The reply to `request`, success or error.
  virtual void ShowReply(const Request& request, const Reply& reply) = 0;
  virtual void ShowEvent(const Line& event) = 0;
  // A notice of the client: "logged in as bob", "reconnecting".
  virtual void Info(std::string_view text) = 0;
  // Text the user asked for or must read as it is: help, a list to choose
  // from, a generated password.
  virtual void Text(std::string_view text) = 0;
  // Something went wrong on the client's side.
  virtual void Error(std::string_view text) = 0;
  // A peer-to-peer notice; by default its text, as Info() or Error().
  virtual void Peer(const PeerNotice& notice) {
    if (notice.error) {
      Error(notice.text);
    } else {
      Info(notice.text);
    }
  }
};

}  // namespace caucus::client
