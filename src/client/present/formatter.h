// Formatter: events and replies as text for people, in the local time zone.
//
// Direct messages and broadcasts look different ("bob -> you" against
// "bob -> everyone", and in colour when the Style has it). Output is one or
// more lines joined by '\n', without a final newline; empty when there is
// nothing to show.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "client/account/rules.h"
#include "client/link/reply.h"
#include "client/link/request.h"
#include "client/present/style.h"

namespace caucus::client {

class Formatter {
 public:
  // `now` gives the current Unix time in ms; times of today are shown
  // without their date.
  Formatter(Style style, std::function<int64_t()> now) : style_(style), now_(std::move(now)) {}

  // The server's rules, once known: refusals name the rule broken. Not
  // owned; null for none.
  void set_rules(const ServerRules* rules) { rules_ = rules; }

  std::string Event(const Line& event) const;

  // The answer to `request`: what was done, the data lines as a list or a
  // table, or the error in plain words.
  std::string Reply(const Request& request, const client::Reply& reply) const;

  // An error or a notice of the client itself, styled like the server's.
  std::string Error(std::string_view text) const;
  std::string Notice(std::string_view text) const;

 private:
  std::string When(const std::string& wire) const;
  std::string Message(const Line& msg) const;
  std::string Who(const client::Reply& r) const;
  std::string Board(const client::Reply& r, bool since) const;
  std::string History(const client::Reply& r) const;
  std::string Polls(const client::Reply& r) const;
  std::string PollInfo(const client::Reply& r) const;
  std::string Results(const client::Reply& r) const;
  std::string PollState(const Line& info) const;
  std::string Posted(const Line& e) const;

  Style style_;
  std::function<int64_t()> now_;
  const ServerRules* rules_ = nullptr;
};

}  // namespace caucus::client
