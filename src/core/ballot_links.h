// The encrypted voter-to-ballot link of `revote` polls (see poll_keys.h).
// The voter is named by a keyed hash and the receipt is sealed, both under
// the poll's key: without the key, the link says nothing.
#pragma once

#include <optional>
#include <string>

#include "core/types.h"

namespace caucus::core {

// A keyed BLAKE2b-256 hash of the voter's account id.
std::string VoterTag(const std::string& key, AccountId voter);
// nonce || XSalsa20-Poly1305(receipt).
std::string SealReceipt(const std::string& key, const std::string& receipt);
// The receipt, or nullopt if the box does not open under `key`.
std::optional<std::string> OpenReceipt(const std::string& key, const std::string& sealed);

}  // namespace caucus::core
