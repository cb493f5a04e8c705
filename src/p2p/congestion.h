// AimdWindow: the sender's congestion window, in chunks, by additive
// increase and multiplicative decrease in the manner of TCP NewReno
// (RFC 5681) with SACK-based loss detection:
//
// - slow start: +1 chunk per chunk acknowledged while below ssthresh;
// - congestion avoidance: +1 chunk per window of chunks acknowledged;
// - a loss (detected by acknowledgements of later chunks) multiplies the
//   window by 0.7 (the CUBIC/RFC 8312 factor, gentler than 0.5), at most
//   once per round trip: losses of chunks sent before the last decrease
//   belong to the same congestion event;
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
  static constexpr double kDecrease = 0.7;

  explicit AimdWindow(double maximum) : max_(maximum) {}

  // `chunks` more chunks were acknowledged.
  void Acked(uint32_t chunks);
  // A chunk whose transmission number is `tx` was lost; `next_tx` is the
  // number the next transmission will get (the end of this round).
  void Lost(uint64_t tx, uint64_t next_tx);
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
};

}  // namespace caucus::p2p
