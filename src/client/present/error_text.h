// Plain words for every error code and BYE reason of the protocol
// (protocol/codes.h), with their parameters worked in: "wrong password; 2
// attempts left before the account is locked".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/account/rules.h"
#include "client/link/reply.h"
#include "protocol/codes.h"

namespace caucus::client {

// The Code a wire name stands for; nullopt for a name this client does not know.
std::optional<protocol::Code> CodeFromName(std::string_view name);

// What went wrong, for people. REQUIRES: !reply.ok. Codes this client does
// not know are shown with the server's own text. `now_ms` places times
// (RESULTS_HIDDEN's closing time) in the local day. With the server's
// `rules` (RULES), a refusal names the rule broken: the shortest password,
// the longest text, the e-mail domains.
std::string ErrorMessage(const Reply& reply, int64_t now_ms, const ServerRules* rules = nullptr);

// Why the server ended the connection (a BYE event's reason and text).
std::string ByeMessage(std::string_view reason, std::string_view server_text);

}  // namespace caucus::client
