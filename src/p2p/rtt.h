// RttEstimator: the retransmission timeout of RFC 6298 from measured
// round-trip times. Samples must follow Karn's rule (the caller never
// samples a retransmitted chunk). Differences from the RFC, for fast local
// paths: the lower bound is 50 ms instead of 1 s (this protocol has no
// delayed ACKs, the reason for Linux's 200 ms), and
// backing off doubles the timeout up to 2 s (not 60 s), so that at least
// seven retries fit in the 15 s a transfer may go without progress; and, as
// Linux does, any forward progress ends the backoff (ClearBackoff), not
// only a new sample.
//
// Thread-safety: none.
#pragma once

#include "p2p/outbox.h"

namespace caucus::p2p {

class RttEstimator {
 public:
  static constexpr Micros kInitialRto = 1'000'000;
  static constexpr Micros kMinRto = 50'000;
  static constexpr Micros kMaxRto = 2'000'000;
  static constexpr Micros kGranularity = 1'000;

  // A round-trip time measured on a chunk sent once (RFC 6298 2.2, 2.3);
  // also ends any backoff.
  void Sample(Micros rtt);
  // A retransmission timer expired: double the timeout (RFC 6298 5.5).
  void Backoff();
  // The path works again (something new was acknowledged).
  void ClearBackoff() { backoffs_ = 0; }

  Micros rto() const;
  Micros srtt() const { return srtt_; }
  bool has_sample() const { return has_sample_; }

 private:
  bool has_sample_ = false;
  Micros srtt_ = 0;
  Micros rttvar_ = 0;
  Micros base_rto_ = kInitialRto;
  int backoffs_ = 0;
};

}  // namespace caucus::p2p
