// The datagrams of the UDP file protocol (docs/protocol.md, "Files over
// UDP"): encoding, and a strict decoder for bytes from the network.
//
// Every datagram starts with an 8-byte header: the magic bytes 0xCA 0x55,
// the version (1), the type, and the 32-bit transfer id the sender chose.
// Integers are big-endian. Decode() accepts a datagram only when every
// field is in range and its length is exactly what its type needs; it never
// reads outside the given bytes, so it can be fed anything (see
// fuzz/datagram_fuzzer.cc).
//
// Pure functions; no allocation beyond the output strings and vectors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caucus::p2p {

constexpr uint8_t kMagic0 = 0xCA;
constexpr uint8_t kMagic1 = 0x55;
constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderSize = 8;
constexpr size_t kMinPayload = 1;
constexpr size_t kMaxPayload = 60000;
constexpr size_t kDefaultPayload = 1200;
constexpr size_t kMaxTicket = 64;
constexpr size_t kMaxSackBlocks = 64;
// The largest datagram: a DATA header and a full payload.
constexpr size_t kMaxDatagram = kHeaderSize + 4 + kMaxPayload;

using Sha256 = std::array<uint8_t, 32>;

enum class Type : uint8_t {
  kStart = 1,  // sender -> receiver: ticket, size, SHA-256, payload size
  kData = 2,   // sender -> receiver: one chunk
  kAck = 3,    // receiver -> sender: cumulative and selective acknowledgement
  kFin = 4,    // sender -> receiver: everything is acknowledged; what is the result?
  kClose = 5,  // either way: the transfer ended, with a result code
};

// Why a transfer ended (CLOSE's code).
enum class Result : uint8_t {
  kOk = 0,            // the receiver verified the SHA-256 and kept the file
  kRefused = 1,       // no valid, unused ticket
  kHashMismatch = 2,  // the data did not have the offered SHA-256
  kTimeout = 3,       // no progress for 15 s
  kCancelled = 4,     // the other side gave up (its user, or it is leaving)
  kLocalError = 5,    // reading or writing the file failed
  kBadOffer = 6,      // START does not match the offer
};
constexpr uint8_t kMaxResult = 6;

// Words for a result, for people ("refused: no valid ticket").
std::string_view ResultText(Result r);

// A half-open range of chunk numbers [begin, end).
struct Range {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const Range&) const = default;
};

struct Start {
  std::string ticket;  // 1..kMaxTicket printable ASCII bytes, no space
  uint64_t size = 0;
  Sha256 sha256{};
  uint16_t payload = 0;  // kMinPayload..kMaxPayload
};

struct Ack {
  uint32_t cumulative = 0;  // every chunk below this arrived
  uint32_t limit = 0;       // the receiver takes chunks below this
  std::vector<Range> sack;  // chunks above `cumulative` that arrived
};

struct Datagram {
  Type type = Type::kStart;
  uint32_t transfer = 0;
  Start start;                  // kStart
  uint32_t seq = 0;             // kData
  std::string_view data;        // kData: points into the decoded bytes
  Ack ack;                      // kAck
  Result result = Result::kOk;  // kClose
};

// Decodes `bytes`; nullopt when they are not a valid datagram. For kData,
// `data` points into `bytes`.
std::optional<Datagram> Decode(std::string_view bytes);

// Encoders: each replaces *out with one datagram.
// REQUIRES: the fields are in the ranges above; sack.size() <= kMaxSackBlocks.
void EncodeStart(uint32_t transfer, const Start& start, std::string* out);
void EncodeData(uint32_t transfer, uint32_t seq, std::string_view data, std::string* out);
void EncodeAck(uint32_t transfer, const Ack& ack, std::string* out);
void EncodeFin(uint32_t transfer, std::string* out);
void EncodeClose(uint32_t transfer, Result result, std::string* out);

}  // namespace caucus::p2p
