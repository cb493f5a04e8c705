#include "p2p/wire.h"

namespace caucus::p2p {
namespace {

void Put8(std::string* out, uint8_t v) { out->push_back(static_cast<char>(v)); }
void Put16(std::string* out, uint16_t v) {
  Put8(out, static_cast<uint8_t>(v >> 8));
  Put8(out, static_cast<uint8_t>(v));
}
void Put32(std::string* out, uint32_t v) {
  Put16(out, static_cast<uint16_t>(v >> 16));
  Put16(out, static_cast<uint16_t>(v));
}
void Put64(std::string* out, uint64_t v) {
  Put32(out, static_cast<uint32_t>(v >> 32));
  Put32(out, static_cast<uint32_t>(v));
}

void Header(Type type, uint32_t transfer, std::string* out) {
  out->clear();
  Put8(out, kMagic0);
  Put8(out, kMagic1);
  Put8(out, kVersion);
  Put8(out, static_cast<uint8_t>(type));
  Put32(out, transfer);
}

// Reads big-endian fields from a byte range; any read past the end fails
// and stays failed.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : b_(bytes) {}
  bool ok() const { return ok_; }
  size_t left() const { return b_.size() - at_; }
  uint64_t Int(size_t n) {
    if (!ok_ || left() < n) {
      ok_ = false;
      return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = v << 8 | static_cast<uint8_t>(b_[at_ + i]);
    at_ += n;
    return v;
  }
  std::string_view Bytes(size_t n) {
    if (!ok_ || left() < n) {
      ok_ = false;
      return {};
    }
    std::string_view v = b_.substr(at_, n);
    at_ += n;
    return v;
  }
  std::string_view Rest() { return Bytes(left()); }

 private:
  std::string_view b_;
  size_t at_ = 0;
  bool ok_ = true;
};

bool ValidTicket(std::string_view t) {
  if (t.empty() || t.size() > kMaxTicket) return false;
  for (char c : t) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

}  // namespace

std::string_view ResultText(Result r) {
  switch (r) {
    case Result::kOk:
      return "received and verified";
    case Result::kRefused:
      return "refused: no valid ticket";
    case Result::kHashMismatch:
      return "the data did not match the offered SHA-256";
    case Result::kTimeout:
      return "no progress for 15 seconds";
    case Result::kCancelled:
      return "cancelled by the other side";
    case Result::kLocalError:
      return "the file could not be read or written";
    case Result::kBadOffer:
      return "the transfer did not match the offer";
  }
  return "unknown";
}

std::optional<Datagram> Decode(std::string_view bytes) {
  Reader r(bytes);
  if (r.Int(1) != kMagic0 || r.Int(1) != kMagic1 || r.Int(1) != kVersion) return std::nullopt;
  Datagram d;
  const uint64_t type = r.Int(1);
  d.transfer = static_cast<uint32_t>(r.Int(4));
  if (!r.ok()) return std::nullopt;
  switch (type) {
    case static_cast<uint8_t>(Type::kStart): {
      d.type = Type::kStart;
      const size_t n = r.Int(1);
      d.start.ticket = std::string(r.Bytes(n));
      d.start.size = r.Int(8);
      const std::string_view sha = r.Bytes(32);
      d.start.payload = static_cast<uint16_t>(r.Int(2));
      if (!r.ok() || r.left() != 0 || !ValidTicket(d.start.ticket)) return std::nullopt;
      if (d.start.payload < kMinPayload || d.start.payload > kMaxPayload) return std::nullopt;
      // The chunk count must fit the 32-bit sequence numbers.
      if ((d.start.size + d.start.payload - 1) / d.start.payload > UINT32_MAX) return std::nullopt;
      for (size_t i = 0; i < 32; ++i) d.start.sha256[i] = static_cast<uint8_t>(sha[i]);
      return d;
    }
    case static_cast<uint8_t>(Type::kData):
      d.type = Type::kData;
      d.seq = static_cast<uint32_t>(r.Int(4));
      d.data = r.Rest();
      if (!r.ok() || d.data.empty() || d.data.size() > kMaxPayload) return std::nullopt;
      return d;
    case static_cast<uint8_t>(Type::kAck): {
      d.type = Type::kAck;
      d.ack.cumulative = static_cast<uint32_t>(r.Int(4));
      d.ack.limit = static_cast<uint32_t>(r.Int(4));
      const size_t blocks = r.Int(1);
      if (!r.ok() || blocks > kMaxSackBlocks || r.left() != blocks * 8) return std::nullopt;
      if (d.ack.limit < d.ack.cumulative) return std::nullopt;
      d.ack.sack.resize(blocks);
      for (auto& range : d.ack.sack) {
        range.begin = static_cast<uint32_t>(r.Int(4));
        range.end = static_cast<uint32_t>(r.Int(4));
        if (range.begin <= d.ack.cumulative || range.end <= range.begin ||
            range.end > d.ack.limit) {
          return std::nullopt;
        }
      }
      return d;
    }
    case static_cast<uint8_t>(Type::kFin):
      d.type = Type::kFin;
      if (r.left() != 0) return std::nullopt;
      return d;
    case static_cast<uint8_t>(Type::kClose): {
      d.type = Type::kClose;
      const uint64_t code = r.Int(1);
      if (!r.ok() || r.left() != 0 || code > kMaxResult) return std::nullopt;
      d.result = static_cast<Result>(code);
      return d;
    }
    default:
      return std::nullopt;
  }
}

void EncodeStart(uint32_t transfer, const Start& start, std::string* out) {
  Header(Type::kStart, transfer, out);
  Put8(out, static_cast<uint8_t>(start.ticket.size()));
  out->append(start.ticket);
  Put64(out, start.size);
  out->append(reinterpret_cast<const char*>(start.sha256.data()), start.sha256.size());
  Put16(out, start.payload);
}

void EncodeData(uint32_t transfer, uint32_t seq, std::string_view data, std::string* out) {
  Header(Type::kData, transfer, out);
  Put32(out, seq);
  out->append(data);
}

void EncodeAck(uint32_t transfer, const Ack& ack, std::string* out) {
  Header(Type::kAck, transfer, out);
  Put32(out, ack.cumulative);
  Put32(out, ack.limit);
  Put8(out, static_cast<uint8_t>(ack.sack.size()));
  for (const auto& range : ack.sack) {
    Put32(out, range.begin);
    Put32(out, range.end);
  }
}

void EncodeFin(uint32_t transfer, std::string* out) { Header(Type::kFin, transfer, out); }

void EncodeClose(uint32_t transfer, Result result, std::string* out) {
  Header(Type::kClose, transfer, out);
  Put8(out, static_cast<uint8_t>(result));
}

}  // namespace caucus::p2p
