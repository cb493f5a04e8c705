// HumanPresenter: replies and events as text for people (Formatter), on a
// Printer.
#pragma once

#include "client/present/formatter.h"
#include "client/present/presenter.h"
#include "client/present/printer.h"

namespace caucus::client {

class HumanPresenter : public Presenter {
 public:
  HumanPresenter(Printer& printer, const Formatter& formatter)
      : printer_(printer), formatter_(formatter) {}

  void ShowReply(const Request& request, const Reply& reply) override;
  void ShowEvent(const Line& event) override;
  void Info(std::string_view text) override;
  void Text(std::string_view text) override;
  void Error(std::string_view text) override;
  // Private chat lines as "[private] NAME: TEXT" (server-relayed messages
  // look like "12:00 NAME -> you: TEXT"); other notices as Info/Error.
  void Peer(const PeerNotice& notice) override;

 private:
  Printer& printer_;
  const Formatter& formatter_;
};

}  // namespace caucus::client
