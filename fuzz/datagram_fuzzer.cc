// libFuzzer harness: the UDP file protocol's datagram decoder, and the
// sender and receiver state machines fed with whatever decodes.
//
// Invariants checked: a decoded datagram encodes back to the same bytes
// (the format has one encoding per value); the state machines never emit a
// datagram that fails to decode.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "p2p/receiver.h"
#include "p2p/sender.h"
#include "p2p/wire.h"

namespace {

using namespace caucus::p2p;

class ZeroSource : public Source {
 public:
  bool Read(uint64_t, size_t len, std::string* out) override {
    out->assign(len, '\0');
    return true;
  }
};

class NullSink : public Sink {
 public:
  bool Append(std::string_view) override { return true; }
};

void Reencode(const Datagram& d, std::string_view bytes) {
  std::string again;
  switch (d.type) {
    case Type::kStart:
      EncodeStart(d.transfer, d.start, &again);
      break;
    case Type::kData:
      EncodeData(d.transfer, d.seq, d.data, &again);
      break;
    case Type::kAck:
      EncodeAck(d.transfer, d.ack, &again);
      break;
    case Type::kFin:
      EncodeFin(d.transfer, &again);
      break;
    case Type::kClose:
      EncodeClose(d.transfer, d.result, &again);
      break;
  }
  if (again != bytes) std::abort();
}

void CheckOut(const Outbox& out) {
  for (size_t i = 0; i < out.size(); ++i) {
    if (!Decode(out[i])) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The input is a sequence of datagrams, each preceded by a 2-byte length.
  ZeroSource source;
  NullSink sink;
  Sender::Config config;
  config.transfer = 1;
  config.ticket = "T";
  config.size = 50'000;
  config.payload = 1000;
  Sender sender(config, source, 0);
  Start start{"T", 5'000, {}, 100};
  Receiver receiver(1, start, sink, 0);
  Outbox out;
  Micros now = 0;
  size_t at = 0;
  while (at + 2 <= size) {
    const size_t n = static_cast<size_t>(data[at]) << 8 | data[at + 1];
    at += 2;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + at, std::min(n, size - at));
    at += bytes.size();
    now += 1'000 * static_cast<Micros>(n % 7);
    const auto d = Decode(bytes);
    if (!d) continue;
    Reencode(*d, bytes);
    out.Clear();
    sender.OnDatagram(*d, now);
    sender.Poll(now, &out);
    receiver.OnDatagram(*d, now);
    receiver.Poll(now, &out);
    CheckOut(out);
  }
  return 0;
}
