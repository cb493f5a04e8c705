// PeerAgent::Loop: files over UDP (docs/protocol.md, "Files over UDP").
#include <fcntl.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "client/p2p/download_file.h"
#include "client/p2p/file_digest.h"
#include "client/p2p/peer_loop.h"

namespace caucus::client {
namespace {

std::string Bytes(uint64_t n) {
  char buf[32];
  if (n < 1000) return std::to_string(n) + " B";
  if (n < 1000 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1e3);
  } else if (n < 1000ULL * 1000 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f GB", static_cast<double>(n) / 1e9);
  }
  return buf;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.2f s" : "%.0f s", s);
  return buf;
}

// Reads the file a block of 1 MiB at a time: chunks are asked for mostly in
// order, and one pread per 1200-byte chunk would cost more than the rest.

class FileSource : public p2p::Source {
 public:
  explicit FileSource(int fd) : fd_(fd) {}
  ~FileSource() override { ::close(fd_); }
  bool Read(uint64_t offset, size_t len, std::string* out) override {
    if (offset < block_start_ || offset + len > block_start_ + block_.size()) {
      if (!Load(offset - offset % kBlock, std::max<size_t>(kBlock, len + offset % kBlock))) {
        return false;
      }
      if (offset + len > block_start_ + block_.size()) return false;
    }
    out->assign(block_.data() + (offset - block_start_), len);
    return true;
  }

 private:
  static constexpr size_t kBlock = 1 << 20;
  bool Load(uint64_t start, size_t len) {
    block_.resize(len);
    size_t got = 0;
    while (got < len) {
      const ssize_t n =
          ::pread(fd_, block_.data() + got, len - got, static_cast<off_t>(start + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    block_.resize(got);
    block_start_ = start;
    return true;
  }

  int fd_;
  std::string block_;
  uint64_t block_start_ = 0;
};

// Progress shows every second, and as each quarter of the file passes (so
// that a short transfer shows some too).
bool Due(Micros now, Micros last, uint64_t bytes, uint64_t size, int* quarter) {
  bool due = now - last >= kProgressEvery;
  while (*quarter < 4 && bytes * 4 >= size * static_cast<uint64_t>(*quarter)) {
    ++*quarter;
    due = true;
  }
  return due && size > 0;
}

}  // namespace

void PeerAgent::Loop::SendFile(OutgoingFile file) {
  Address to;
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  const auto fail = [&](const std::string& why) {
    Notify({"failed",
            "sending " + file.name + " to " + file.to + " failed: " + why,
            {{"id", file.id},
             {"direction", "send"},
             {"peer", file.to},
             {"file", file.name},
             {"reason", why}},
            true});
  };
  if (fd < 0) {
    fail(std::string("cannot open ") + file.path + ": " + std::strerror(errno));
    return;
  }
  if (!Resolve(file.host, file.port, family_, SOCK_DGRAM, &to)) {
    ::close(fd);
    fail("cannot reach " + file.host);
    return;
  }
  uint32_t transfer = 0;
  while (transfer == 0 || outgoing_.count(transfer)) transfer = randombytes_random();
  p2p::Sender::Config config;
  config.transfer = transfer;
  config.ticket = file.ticket;
  config.size = file.size;
  config.sha256 = file.sha256;
  config.payload = options_.payload;
  Outgoing o;
  o.source = std::make_unique<FileSource>(fd);
  const Micros now = NowMicros();
  o.sender = std::make_unique<p2p::Sender>(config, *o.source, now);
  o.to = to;
  o.started = o.last_note = now;
  Notify({"sending",
          "sending " + file.name + " (" + Bytes(file.size) + ") to " + file.to,
          {{"id", file.id},
           {"peer", file.to},
           {"file", file.name},
           {"size", std::to_string(file.size)}},
          false});
  o.file = std::move(file);
  outgoing_.emplace(transfer, std::move(o));
}

void PeerAgent::Loop::ReceiveDatagrams(Micros now) {
  for (int round = 0; round < 16; ++round) {
    mmsghdr msgs[kPeerBatch];
    iovec iov[kPeerBatch];
    Address from[kPeerBatch];
    for (size_t i = 0; i < kPeerBatch; ++i) {
      iov[i] = {rx_buffers_[i].data(), rx_buffers_[i].size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = &from[i].storage;
      msgs[i].msg_hdr.msg_namelen = sizeof from[i].storage;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = ::recvmmsg(udp_fd_, msgs, kPeerBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    for (int i = 0; i < n; ++i) {
      from[i].length = msgs[i].msg_hdr.msg_namelen;
      if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) continue;
      OnDatagram(from[i], std::string_view(rx_buffers_[i].data(), msgs[i].msg_len), now);
    }
    // Answer this batch (one ACK per transfer) and let the senders go on.
    ServiceTransfers(NowMicros());
    if (static_cast<size_t>(n) < kPeerBatch) return;
  }
}

void PeerAgent::Loop::Refuse(const Address& from, uint32_t transfer, p2p::Result why,
                             const std::string& text) {
  std::string bytes;
  p2p::EncodeClose(transfer, why, &bytes);
  ::sendto(udp_fd_, bytes.data(), bytes.size(), MSG_DONTWAIT, from.get(), from.length);
  if (!text.empty()) {
    Notify({"refused", text, {{"transport", "udp"}, {"address", from.Text()}}, true});
  }
}

void PeerAgent::Loop::OnDatagram(const Address& from, std::string_view bytes, Micros now) {
  const auto d = p2p::Decode(bytes);
  if (!d) return;  // not ours: ignored
  if (d->type == p2p::Type::kAck || d->type == p2p::Type::kClose) {
    auto it = outgoing_.find(d->transfer);
    if (it != outgoing_.end() && it->second.to.Key() == from.Key()) {
      it->second.sender->OnDatagram(*d, now);
      return;
    }
    if (d->type == p2p::Type::kAck) return;
  }
  const std::string key = from.Key() + std::to_string(d->transfer);
  auto it = incoming_.find(key);
  if (it != incoming_.end()) {
    it->second.receiver->OnDatagram(*d, now);
    it->second.touched = true;
    return;
  }
  switch (d->type) {
    case p2p::Type::kStart:
      OnStart(from, *d, now);
      break;
    case p2p::Type::kData:
    case p2p::Type::kFin:
      Refuse(from, d->transfer, p2p::Result::kRefused, {});
      break;
    default:
      break;
  }
}

void PeerAgent::Loop::OnStart(const Address& from, const p2p::Datagram& d, Micros now) {
  if (!tickets_.Known(d.start.ticket) && accepts_pending.load() > 0) return;  // asks again
  auto offer = tickets_.Redeem(d.start.ticket, now);
  if (!offer || !std::holds_alternative<IncomingFile>(*offer)) {
    Refuse(from, d.transfer, p2p::Result::kRefused,
           "refused a file transfer from " + from.Text() + ": no valid ticket");
    return;
  }
  IncomingFile file = std::get<IncomingFile>(std::move(*offer));
  const auto fail = [&](const std::string& why) {
    Notify({"failed",
            "receiving " + file.name + " from " + file.from + " failed: " + why,
            {{"id", file.id},
             {"direction", "receive"},
             {"peer", file.from},
             {"file", file.name},
             {"reason", why}},
            true});
  };
  if (d.start.size != file.size || d.start.sha256 != file.sha256) {
    Refuse(from, d.transfer, p2p::Result::kBadOffer, {});
    fail(std::string(p2p::ResultText(p2p::Result::kBadOffer)));
    return;
  }
  std::string error;
  auto sink = DownloadFile::Create(options_.downloads, DownloadName(file.from, file.name), &error);
  if (!sink) {
    Refuse(from, d.transfer, p2p::Result::kLocalError, {});
    fail(error);
    return;
  }
  Incoming in;
  in.sink = std::move(sink);
  in.receiver = std::make_unique<p2p::Receiver>(d.transfer, d.start, *in.sink, now);
  in.from = from;
  in.started = in.last_note = now;
  in.touched = true;
  Notify({"receiving",
          "receiving " + file.name + " (" + Bytes(file.size) + ") from " + file.from,
          {{"id", file.id},
           {"peer", file.from},
           {"file", file.name},
           {"size", std::to_string(file.size)}},
          false});
  in.file = std::move(file);
  incoming_.emplace(from.Key() + std::to_string(d.transfer), std::move(in));
}

void PeerAgent::Loop::Progress(const std::string& id, bool sending, const std::string& peer,
                               const std::string& name, uint64_t bytes, uint64_t size,
                               Micros started, Micros now) {
  const double secs = static_cast<double>(now - started) / 1e6;
  const double rate = secs > 0 ? static_cast<double>(bytes) / secs : 0;
  const double eta = rate > 0 ? static_cast<double>(size - bytes) / rate : -1;
  std::string text = std::string(sending ? "sending " : "receiving ") + name +
                     (sending ? " to " : " from ") + peer + ": " + Bytes(bytes) + " of " +
                     Bytes(size) + ", " + Bytes(static_cast<uint64_t>(rate)) + "/s";
  text += eta >= 0 ? ", about " + Seconds(eta) + " left" : ", waiting";
  Notify({"progress",
          text,
          {{"id", id},
           {"direction", sending ? "send" : "receive"},
           {"peer", peer},
           {"file", name},
           {"bytes", std::to_string(bytes)},
           {"size", std::to_string(size)},
           {"rate", std::to_string(static_cast<uint64_t>(rate))},
           {"eta", eta >= 0 ? std::to_string(static_cast<int64_t>(std::ceil(eta))) : "-"}},
          false});
}

void PeerAgent::Loop::FinishIncoming(Incoming& in, Micros now) {
  in.reported = true;
  const IncomingFile& f = in.file;
  const double secs = static_cast<double>(now - in.started) / 1e6;
  if (in.receiver->state() == p2p::Receiver::State::kDone) {
    std::string error;
    if (auto path = in.sink->Keep(&error)) {
      Notify({"received",
              "received " + f.name + " from " + f.from + ": saved as " + *path + " (" +
                  Bytes(f.size) + " in " + Seconds(secs) + ", SHA-256 verified)",
              {{"id", f.id},
               {"peer", f.from},
               {"file", f.name},
               {"path", *path},
               {"size", std::to_string(f.size)},
               {"sha256", ToHex(f.sha256)}},
              false});
      return;
    }
    in.receiver->Fail(p2p::Result::kLocalError, now);
    in.sink->Discard();
    Notify({"failed",
            "receiving " + f.name + " from " + f.from + " failed: " + error,
            {{"id", f.id},
             {"direction", "receive"},
             {"peer", f.from},
             {"file", f.name},
             {"reason", error}},
            true});
    return;
  }
  in.sink->Discard();
  const std::string why(p2p::ResultText(in.receiver->result()));
  Notify({"failed",
          "receiving " + f.name + " from " + f.from + " failed: " + why + "; nothing was kept",
          {{"id", f.id},
           {"direction", "receive"},
           {"peer", f.from},
           {"file", f.name},
           {"reason", why}},
          true});
}

void PeerAgent::Loop::ServiceTransfers(Micros now) {
  size_t running = 0;
  for (auto it = incoming_.begin(); it != incoming_.end();) {
    Incoming& in = it->second;
    if (in.receiver->finished() && !in.reported) FinishIncoming(in, now);
    if (in.touched || in.receiver->NextWakeup() <= now) {
      in.touched = false;
      in.out.Clear();
      in.receiver->Poll(now, &in.out);
      if (in.receiver->finished() && !in.reported) {
        FinishIncoming(in, now);  // a timeout found by Poll(): its CLOSE is out already
      }
      batch_.AddAll(in.from, in.out);
    }
    if (!in.receiver->finished()) {
      ++running;
      if (Due(now, in.last_note, in.receiver->bytes_received(), in.file.size, &in.quarter)) {
        in.last_note = now;
        Progress(in.file.id, false, in.file.from, in.file.name, in.receiver->bytes_received(),
                 in.file.size, in.started, now);
      }
    }
    if (in.receiver->expired(now)) {
      it = incoming_.erase(it);
    } else {
      ++it;
    }
  }
  batch_.Flush(udp_fd_);
  for (auto it = outgoing_.begin(); it != outgoing_.end();) {
    Outgoing& o = it->second;
    for (int round = 0; round < 8 && o.sender->NextWakeup() <= now; ++round) {
      o.out.Clear();
      o.sender->Poll(now, &o.out);
      batch_.AddAll(o.to, o.out);
      batch_.Flush(udp_fd_);
      if (o.out.size() == 0) break;
    }
    if (!o.sender->finished()) {
      ++running;
      if (Due(now, o.last_note, o.sender->bytes_acked(), o.file.size, &o.quarter)) {
        o.last_note = now;
        Progress(o.file.id, true, o.file.to, o.file.name, o.sender->bytes_acked(), o.file.size,
                 o.started, now);
      }
      ++it;
      continue;
    }
    const OutgoingFile& f = o.file;
    const double secs = static_cast<double>(now - o.started) / 1e6;
    if (o.sender->state() == p2p::Sender::State::kDone) {
      Notify({"sent",
              "sent " + f.name + " to " + f.to + ": " + Bytes(f.size) + " in " + Seconds(secs) +
                  " (" +
                  Bytes(static_cast<uint64_t>(secs > 0 ? static_cast<double>(f.size) / secs : 0)) +
                  "/s), SHA-256 verified by " + f.to,
              {{"id", f.id},
               {"peer", f.to},
               {"file", f.name},
               {"size", std::to_string(f.size)},
               {"seconds", std::to_string(secs)},
               {"retransmissions", std::to_string(o.sender->retransmissions())},
               {"timeouts", std::to_string(o.sender->timeouts())}},
              false});
    } else {
      const std::string why(p2p::ResultText(o.sender->result()));
      Notify(
          {"failed",
           "sending " + f.name + " to " + f.to + " failed: " + why,
           {{"id", f.id}, {"direction", "send"}, {"peer", f.to}, {"file", f.name}, {"reason", why}},
           true});
    }
    it = outgoing_.erase(it);
  }
  transfers.store(running);
}

void PeerAgent::Loop::Shutdown() {
  const Micros now = NowMicros();
  for (auto& [id, o] : outgoing_) {
    o.sender->Cancel();
    o.out.Clear();
    o.sender->Poll(now, &o.out);
    batch_.AddAll(o.to, o.out);
  }
  for (auto& [key, in] : incoming_) {
    if (in.receiver->finished()) continue;
    in.receiver->Cancel(now);
    in.out.Clear();
    in.receiver->Poll(now, &in.out);
    batch_.AddAll(in.from, in.out);
    in.sink->Discard();
  }
  batch_.Flush(udp_fd_);
  outgoing_.clear();
  incoming_.clear();
  for (auto& [fd, c] : chats_) ::close(fd);
  chats_.clear();
  transfers.store(0);
}

}  // namespace caucus::client
