// The SHA-256 of a file (libsodium), and its hexadecimal form as INVITE and
// INVITED carry it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "p2p/wire.h"

namespace caucus::client {

struct FileDigest {
  uint64_t size = 0;
  p2p::Sha256 sha256{};
};

// Reads the regular file at `path` to its end; nullopt with *error in
// words when it cannot.
std::optional<FileDigest> DigestFile(const std::string& path, std::string* error);

std::string ToHex(const p2p::Sha256& sha);
// 64 hex digits (either case); nullopt otherwise.
std::optional<p2p::Sha256> FromHex(const std::string& hex);

}  // namespace caucus::client
