#include "p2p/congestion.h"

#include <algorithm>

namespace caucus::p2p {

void AimdWindow::Acked(uint32_t chunks) {
  for (uint32_t i = 0; i < chunks; ++i) {
    cwnd_ += cwnd_ < ssthresh_ ? 1.0 : 1.0 / cwnd_;
  }
  cwnd_ = std::min(cwnd_, max_);
}

void AimdWindow::Lost(uint64_t tx, uint64_t next_tx) {
  if (tx < recovery_end_) return;
  cwnd_ = std::max(kMinimum, cwnd_ * kDecrease);
  ssthresh_ = cwnd_;
  recovery_end_ = next_tx;
}

void AimdWindow::Timeout(uint64_t next_tx) {
  ssthresh_ = std::max(kMinimum, cwnd_ / 2);
  cwnd_ = kMinimum;
  recovery_end_ = next_tx;
}

}  // namespace caucus::p2p
