// Receiver: the receiving side of one UDP file transfer, as a state machine
// fed with the datagrams of its transfer and the time (docs/protocol.md,
// "Files over UDP").
//
// Chunks may arrive lost, twice or out of order: those below the window
// (`cumulative` + window) are kept until the gap before them fills, then
// appended to the Sink in order while a SHA-256 (libsodium's
// crypto_hash_sha256) is computed over them. Every datagram that brings
// something, or repeats something, asks for an ACK; the driver calls Poll()
// after a batch of datagrams, so one ACK answers a whole batch. A batch of
// fewer than 4 DATA datagrams (a thin flow: the start, or recovery after a
// timeout, when a lost ACK costs a whole timeout) or of 16 or more (when one
// lost ACK hides many chunks) is answered twice. When the
// last chunk is in, the hash is compared with the offered one and CLOSE
// gives the result; the receiver then lingers (answering FIN and repeated
// data with that result again) in case the CLOSE is lost. 15 s without
// progress ends the transfer (Result::kTimeout) and tells the sender.
//
// The caller checks the ticket and that START matches the offer before it
// creates a Receiver, and keeps the file only when the result is kOk.
//
// Thread-safety: none; one transfer, one thread.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "p2p/outbox.h"
#include "p2p/sender.h"
#include "p2p/wire.h"

namespace caucus::p2p {

// Where the data goes, in order.
class Sink {
 public:
  virtual ~Sink() = default;
  // Appends the next bytes; false on failure.
  virtual bool Append(std::string_view bytes) = 0;
};

class Receiver {
 public:
  enum class State { kReceiving, kDone, kFailed };
  // How long a finished transfer still answers the sender.
  static constexpr Micros kLinger = 20'000'000;
  // Out-of-order data kept in memory at most (the window, in bytes).
  static constexpr size_t kWindowBytes = 16 << 20;

  // `start` is the transfer's START, already checked. `sink` must outlive
  // the receiver.
  Receiver(uint32_t transfer, const Start& start, Sink& sink, Micros now);

  void OnDatagram(const Datagram& d, Micros now);
  // Appends the ACK and CLOSE due now to *out.
  void Poll(Micros now, Outbox* out);
  Micros NextWakeup() const;
  // Gives up (the user cancelled, the client is leaving); the sender is told
  // on the next Poll().
  void Cancel(Micros now);
  // Ends the transfer with `r` (the caller could not keep a verified file,
  // say), even after success, as long as the result has not been sent.
  void Fail(Result r, Micros now);

  State state() const { return state_; }
  bool finished() const { return state_ != State::kReceiving; }
  // Finished, and the linger time is over: the caller may forget it.
  bool expired(Micros now) const { return finished() && !close_due_ && now >= linger_until_; }
  Result result() const { return result_; }
  uint64_t bytes_received() const { return delivered_bytes_; }
  uint64_t size() const { return start_.size; }
  uint32_t transfer() const { return transfer_; }
  uint32_t window() const { return window_; }

 private:
  size_t ChunkLength(uint32_t seq) const;
  void OnData(uint32_t seq, std::string_view data, Micros now);
  void Finish(Result r, Micros now);
  void BuildAck(Ack* ack) const;

  uint32_t transfer_;
  Start start_;
  Sink& sink_;
  State state_ = State::kReceiving;
  Result result_ = Result::kOk;
  uint32_t chunks_ = 0;
  uint32_t window_ = 0;
  uint32_t cumulative_ = 0;
  uint32_t last_seq_ = 0;                  // the chunk that arrived most recently
  std::map<uint32_t, std::string> early_;  // arrived above a gap
  uint64_t delivered_bytes_ = 0;
  crypto_hash_sha256_state hash_;
  bool ack_due_ = true;      // START itself is acknowledged
  uint32_t batch_data_ = 0;  // DATA datagrams since the last Poll()
  bool close_due_ = false;
  Micros last_progress_;
  Micros linger_until_ = kNever;
  Ack ack_;  // reused
};

}  // namespace caucus::p2p
