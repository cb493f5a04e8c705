#include "p2p/congestion.h"

#include <algorithm>

namespace caucus::p2p {

void AimdWindow::Acked(uint32_t chunks) {
  acked_since_ += chunks;
  for (uint32_t i = 0; i < chunks; ++i) {
    cwnd_ += cwnd_ < ssthresh_ ? 1.0 : 1.0 / cwnd_;
  }
  cwnd_ = std::min(cwnd_, max_);
}

void AimdWindow::Lost(uint64_t tx, uint64_t next_tx) {
  ++lost_since_;
  if (tx < recovery_end_) return;
  const double share =
      static_cast<double>(lost_since_) / static_cast<double>(lost_since_ + acked_since_);
  alpha_ = (1 - kGain) * alpha_ + kGain * share;
  acked_since_ = lost_since_ = 0;
  cwnd_ = std::max(kMinimum, cwnd_ * (1 - alpha_ / 2));
  ssthresh_ = cwnd_;
  recovery_end_ = next_tx;
}

void AimdWindow::Timeout(uint64_t next_tx) {
  ssthresh_ = std::max(kMinimum, cwnd_ / 2);
  cwnd_ = kMinimum;
  recovery_end_ = next_tx;
}

}  // namespace caucus::p2p
