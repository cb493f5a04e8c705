// Presenter: how replies, events and the client's own messages are shown:
// as text for people (HumanPresenter) or as JSON lines (JsonPresenter).
#pragma once

#include <string_view>

#include "client/reply.h"
#include "client/request.h"

namespace caucus::client {

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
};

}  // namespace caucus::client
