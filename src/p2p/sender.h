// Sender: the sending side of one UDP file transfer, as a state machine fed
// with the datagrams of its transfer and the time, and asked for the
// datagrams to send (docs/protocol.md, "Files over UDP").
//
// It sends START (the ticket, size, SHA-256 and payload size) until the
// receiver acknowledges it, then the chunks within the congestion window
// (AimdWindow) and the receiver's limit. Acknowledgements are cumulative
// plus selective (SACK); a chunk counts as lost when a chunk transmitted
// three transmissions after it was acknowledged first, or one transmitted
// after it was and 1.25 round trips passed (RACK, RFC 8985, so that
// retransmissions and small windows are judged too), or when the
// retransmission timeout
// (RttEstimator: RFC 6298 with Karn's rule) expires. Lost chunks go out
// again before new ones. When no ACK came for two round trips, a loss probe
// (the newest chunk in flight again; RFC 8985's tail loss probe) asks for
// an ACK that shows what was lost, without waiting for the timeout. Once every
// chunk is acknowledged it sends FIN
// until the receiver's CLOSE gives the result. 15 s without progress ends
// the transfer (Result::kTimeout) and tells the receiver.
//
// Thread-safety: none; one transfer, one thread.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "p2p/congestion.h"
#include "p2p/outbox.h"
#include "p2p/rtt.h"
#include "p2p/wire.h"

namespace caucus::p2p {

// Where the chunks come from.
class Source {
 public:
  virtual ~Source() = default;
  // Reads exactly `len` bytes at `offset` into *out (replacing it); false on
  // failure.
  virtual bool Read(uint64_t offset, size_t len, std::string* out) = 0;
};

constexpr Micros kNoProgressLimit = 15'000'000;

class Sender {
 public:
  enum class State { kStarting, kSending, kFinishing, kDone, kFailed };

  struct Config {
    uint32_t transfer = 0;
    std::string ticket;
    uint64_t size = 0;
    Sha256 sha256{};
    uint16_t payload = kDefaultPayload;
    // The most datagrams one Poll() returns (one sendmmsg batch).
    size_t burst = 64;
  };

  // REQUIRES: config.payload in [kMinPayload, kMaxPayload]. `source` must
  // outlive the sender.
  Sender(Config config, Source& source, Micros now);

  // A datagram of this transfer (same transfer id) from the receiver.
  void OnDatagram(const Datagram& d, Micros now);

  // Handles expired timers and appends what should be sent now to *out (at
  // most config.burst datagrams; call again while it returns a full burst).
  void Poll(Micros now, Outbox* out);

  // When Poll() should next be called even if nothing arrives.
  Micros NextWakeup() const;

  // Gives up (the user cancelled, the client is leaving): the receiver is
  // told on the next Poll().
  void Cancel();

  State state() const { return state_; }
  bool finished() const { return state_ == State::kDone || state_ == State::kFailed; }
  // Why it ended (kOk for kDone).
  Result result() const { return result_; }
  uint64_t bytes_acked() const;
  uint64_t size() const { return cfg_.size; }
  uint32_t transfer() const { return cfg_.transfer; }

  // For tests and the benchmark.
  uint64_t transmissions() const { return next_tx_ - 1; }
  uint64_t retransmissions() const { return retransmissions_; }
  uint64_t timeouts() const { return timeouts_; }
  const RttEstimator& rtt() const { return rtt_; }
  uint32_t window() const { return cc_.window(); }

 private:
  struct Chunk {
    uint64_t tx = 0;  // number of the latest transmission; 0 = never sent
    Micros sent_at = 0;
    bool acked = false;
    bool retransmitted = false;
    bool lost = false;  // waiting in lost_ to go out again
  };
  struct Flight {
    uint64_t tx;
    uint32_t seq;
  };

  void OnAck(const Ack& ack, Micros now);
  // Marks `seq` acknowledged; keeps in *newest_tx and *sample_rtt the
  // newest transmission acknowledged and its round trip (-1: none usable).
  void MarkAcked(uint32_t seq, Micros now, uint32_t* newly, uint64_t* newest_tx,
                 Micros* sample_rtt);
  void DetectLosses(Micros now);
  void OnTimeout(Micros now);
  // Sends the newest chunk in flight again, so that its ACK reveals losses
  // at the tail, where no later chunk would.
  void Probe(Micros now, Outbox* out);
  void SendChunk(uint32_t seq, Micros now, Outbox* out);
  void Fail(Result r);
  size_t ChunkLength(uint32_t seq) const;
  void Progress(Micros now) { last_progress_ = now; }

  Config cfg_;
  Source& source_;
  State state_ = State::kStarting;
  Result result_ = Result::kOk;
  bool close_pending_ = false;  // a CLOSE for the receiver (after Cancel or a timeout)

  uint32_t chunks_ = 0;
  std::vector<Chunk> chunk_;
  uint32_t cumulative_ = 0;  // every chunk below is acknowledged
  uint32_t limit_ = 0;       // the receiver takes chunks below this
  uint32_t next_new_ = 0;    // the lowest chunk never sent
  uint32_t in_flight_ = 0;   // sent, not acknowledged, not deemed lost
  uint32_t acked_count_ = 0;
  std::deque<Flight> flight_;  // transmissions in order, for loss detection
  std::deque<uint32_t> lost_;  // chunks to send again, oldest first
  uint64_t next_tx_ = 1;
  uint64_t highest_acked_tx_ = 0;
  uint64_t retransmissions_ = 0;

  RttEstimator rtt_;
  AimdWindow cc_;
  Micros timer_ = kNever;  // retransmission timer (START, chunks or FIN)
  Micros rack_timer_ = kNever;
  Micros probe_timer_ = kNever;  // tail loss probe (RFC 8985 section 7)
  bool probed_ = false;          // a probe went out since the last progress
  uint64_t timeouts_ = 0;        // when a chunk may count as lost by time (RACK)
  bool control_due_ = true;      // START or FIN should go out at the next Poll()
  Micros control_sent_at_ = 0;
  bool control_retransmitted_ = false;
  Micros last_progress_;
  std::string scratch_;
};

}  // namespace caucus::p2p
