// JSON lines for --json: every reply, event and notice of the client as one
// JSON object on one line (no newline added).
//
//   {"type":"reply","verb":"SEND","ok":true,"params":["7","2026-...","delivered"],"data":[]}
//   {"type":"reply","verb":"SEND","ok":false,"code":"NO_SUCH_USER","params":[],
//    "text":"no such user","message":"there is no such user"}
//   {"type":"event","verb":"MSG","params":["7","2026-...","bob","dm","hi"]}
//   {"type":"info","text":"logged in as alice"}     (or "error")
//
// "params" are the protocol's parameters as sent (PROTOCOL.md); data lines
// are {"verb":...,"params":[...]}; "message" is the client's plain words.
#pragma once

#include <string>
#include <string_view>

#include "client/link/reply.h"
#include "protocol/json_string.h"

namespace caucus::client {

using protocol::JsonString;

std::string JsonReply(const Reply& reply, std::string_view message);
std::string JsonEvent(const Line& event);
std::string JsonNotice(std::string_view type, std::string_view text);

}  // namespace caucus::client
