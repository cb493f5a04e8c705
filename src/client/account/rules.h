// ServerRules: what a server allows, from its RULES reply (an extension,
// docs/protocol.md), said to people before they break a rule and named
// when they do: who may create an account, the e-mail domains, the
// shortest password, the longest message, the idle timeout.
//
// A server that does not know RULES leaves every field unknown; the texts
// then say what the protocol alone guarantees.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "client/link/reply.h"

namespace caucus::client {

struct ServerRules {
  bool known = false;
  std::string registration;  // "open", "closed" or "email"; empty when unknown
  std::string email_domain;  // the server's pattern (an ECMAScript regex) for email
  bool generated_passwords = false;
  int64_t min_password = 0;   // bytes; 0 when unknown
  int64_t max_text = 0;       // bytes of a message or post; 0 when unknown
  int64_t idle_timeout = -1;  // seconds; 0 = never; -1 when unknown

  // From an OK RULES reply (RULE <key> :<value> lines); unknown keys are
  // skipped. An ERR reply gives rules that are not known.
  static ServerRules From(const Reply& reply);

  // The greeting for a person: who may create an account here and how,
  // the longest message, the idle timeout. One or two sentences.
  std::string Greeting() const;

  // The allowed e-mail domains in words: "example.org", "example.org or
  // example.com", "any domain", or "domains matching the pattern ...".
  std::string Domains() const;

  // Whether the domain of `address` (after its @) is one the server takes;
  // true when that cannot be told here (no pattern, or a pattern this
  // client cannot read).
  bool AllowsDomainOf(std::string_view address) const;
};

// The rule for account names, in words.
std::string NameRule();

// Why `name` is not a valid account name, in words naming the rule (and the
// first character that breaks it); empty when it is valid.
std::string WhyNotAName(std::string_view name);

}  // namespace caucus::client
