// AimdWindow: the sender's congestion window, in chunks, by additive
// increase and multiplicative decrease in the manner of TCP NewReno
// (RFC 5681) with SACK-based loss detection, the decrease scaled by the
// share of chunks lost, as DCTCP (RFC 8257) scales it by the share of ECN
// marks:
//
// - slow start: +1 chunk per chunk acknowledged while below ssthresh;
// - congestion avoidance: +1 chunk per window of chunks acknowledged;
// - a loss (detected by acknowledgements of later chunks) multiplies the
//   window by (1 - a/2), at most once per round trip (losses of chunks sent
//   before the last decrease belong to the same congestion event); a is a
//   moving average (gain 1/4, starting at 1) of the share of chunks lost
//   since the previous decrease. A queue that overflows loses a large share
//   and halves the window as NewReno does; random loss of a few percent
//   costs a few percent per round trip instead;
// - a retransmission timeout sets ssthresh to half the window and the
//   window to 2 chunks.
//
// Thread-safety: none.
#pragma once

#include <cstdint>

namespace caucus::p2p {

class AimdWindow {
 public:
  static constexpr double kInitial = 10;  // RFC 6928's initial window
  static constexpr double kMinimum = 2;
  static constexpr double kGain = 0.25;

  explicit AimdWindow(double maximum) : max_(maximum) {}

  // `chunks` more chunks were acknowledged.
  void Acked(uint32_t chunks);
  // A chunk whose transmission number is `tx` was lost; `next_tx` is the
  // number the next transmission will get (the end of this round).
  void Lost(uint64_t tx, uint64_t next_tx);
  // The share of chunks lost, averaged (the `a` above).
  double loss_share() const { return alpha_; }
  // The retransmission timer expired.
  void Timeout(uint64_t next_tx);

  // Chunks that may be in flight.
  uint32_t window() const { return static_cast<uint32_t>(cwnd_); }
  double ssthresh() const { return ssthresh_; }

 private:
  double max_;
  double cwnd_ = kInitial;
  double ssthresh_ = 1e9;
  uint64_t recovery_end_ = 0;  // losses of transmissions below this are the same event
  double alpha_ = 1;
  uint64_t acked_since_ = 0;  // chunks acknowledged since the last decrease
  uint64_t lost_since_ = 0;   // chunks lost since the last decrease
};

}  // namespace caucus::p2p
