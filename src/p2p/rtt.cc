#include "p2p/rtt.h"

#include <algorithm>

namespace caucus::p2p {

void RttEstimator::Sample(Micros rtt) {
  rtt = std::max<Micros>(rtt, 1);
  if (!has_sample_) {
    srtt_ = rtt;
    rttvar_ = rtt / 2;
    has_sample_ = true;
  } else {
    // RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'|; SRTT <- 7/8 SRTT + 1/8 R'.
    const Micros err = srtt_ > rtt ? srtt_ - rtt : rtt - srtt_;
    rttvar_ = (3 * rttvar_ + err) / 4;
    srtt_ = (7 * srtt_ + rtt) / 8;
  }
  base_rto_ = srtt_ + std::max(kGranularity, 4 * rttvar_);
  backoffs_ = 0;
}

void RttEstimator::Backoff() {
  if (backoffs_ < 16) ++backoffs_;
}

Micros RttEstimator::rto() const {
  Micros rto = std::clamp(base_rto_, kMinRto, kMaxRto);
  for (int i = 0; i < backoffs_ && rto < kMaxRto; ++i) rto *= 2;
  return std::min(rto, kMaxRto);
}

}  // namespace caucus::p2p
