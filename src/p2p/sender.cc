#include "p2p/sender.h"

#include <algorithm>

namespace caucus::p2p {
namespace {

// A chunk is lost once a chunk transmitted this many transmissions later
// was acknowledged: tolerates that much reordering.
constexpr uint64_t kReorderTolerance = 3;
// The congestion window never exceeds this many chunks.
constexpr double kMaxWindow = 16384;

}  // namespace

Sender::Sender(Config config, Source& source, Micros now)
    : cfg_(std::move(config)), source_(source), cc_(kMaxWindow), last_progress_(now) {
  chunks_ = static_cast<uint32_t>((cfg_.size + cfg_.payload - 1) / cfg_.payload);
  chunk_.resize(chunks_);
}

size_t Sender::ChunkLength(uint32_t seq) const {
  if (seq + 1 < chunks_) return cfg_.payload;
  return static_cast<size_t>(cfg_.size - static_cast<uint64_t>(seq) * cfg_.payload);
}

uint64_t Sender::bytes_acked() const {
  if (state_ == State::kFinishing || state_ == State::kDone) return cfg_.size;
  uint64_t bytes = static_cast<uint64_t>(acked_count_) * cfg_.payload;
  if (chunks_ > 0 && chunk_[chunks_ - 1].acked) bytes -= cfg_.payload - ChunkLength(chunks_ - 1);
  return bytes;
}

void Sender::Fail(Result r) {
  state_ = State::kFailed;
  result_ = r;
}

void Sender::Cancel() {
  if (finished()) return;
  Fail(Result::kCancelled);
  close_pending_ = true;
}

void Sender::OnDatagram(const Datagram& d, Micros now) {
  if (finished()) return;
  switch (d.type) {
    case Type::kAck:
      if (state_ == State::kStarting) {
        if (!control_retransmitted_) rtt_.Sample(now - control_sent_at_);
        rtt_.ClearBackoff();
        state_ = State::kSending;
        timer_ = kNever;
        Progress(now);
      }
      if (state_ == State::kSending) OnAck(d.ack, now);
      break;
    case Type::kClose:
      if (d.result == Result::kOk) {
        state_ = State::kDone;
        result_ = Result::kOk;
      } else {
        Fail(d.result);
      }
      break;
    default:
      break;  // START, DATA and FIN go the other way
  }
}

void Sender::MarkAcked(uint32_t seq, Micros now, uint32_t* newly, uint64_t* newest_tx,
                       Micros* sample_rtt) {
  Chunk& c = chunk_[seq];
  if (c.acked || c.tx == 0) return;  // never sent: a confused receiver
  c.acked = true;
  ++acked_count_;
  ++*newly;
  if (c.lost) {
    c.lost = false;  // skipped when its turn in lost_ comes
  } else {
    --in_flight_;
  }
  highest_acked_tx_ = std::max(highest_acked_tx_, c.tx);
  // The newest transmission this ACK covers is most likely the one that
  // caused it; its round trip counts, unless it was a retransmission
  // (Karn's rule: the ACK could be for either transmission).
  if (c.tx > *newest_tx) {
    *newest_tx = c.tx;
    *sample_rtt = c.retransmitted ? -1 : now - c.sent_at;
  }
}

void Sender::OnAck(const Ack& ack, Micros now) {
  if (ack.cumulative > chunks_) return;
  limit_ = std::max(limit_, std::min(ack.limit, chunks_));
  uint32_t newly = 0;
  uint64_t sample_tx = 0;
  Micros sample_rtt = -1;
  for (uint32_t seq = cumulative_; seq < ack.cumulative; ++seq) {
    MarkAcked(seq, now, &newly, &sample_tx, &sample_rtt);
  }
  cumulative_ = std::max(cumulative_, ack.cumulative);
  for (const Range& r : ack.sack) {
    const uint32_t end = std::min(r.end, chunks_);
    for (uint32_t seq = std::max(r.begin, cumulative_); seq < end; ++seq) {
      MarkAcked(seq, now, &newly, &sample_tx, &sample_rtt);
    }
  }
  if (newly > 0) {
    Progress(now);
    cc_.Acked(newly);
    if (sample_rtt >= 0) rtt_.Sample(sample_rtt);
    rtt_.ClearBackoff();
    timer_ = in_flight_ > 0 ? now + rtt_.rto() : kNever;
    probe_timer_ = kNever;
    probed_ = false;
  }
  DetectLosses(now);
  if (acked_count_ == chunks_) {
    state_ = State::kFinishing;
    control_due_ = true;
    control_retransmitted_ = false;
    timer_ = kNever;
    flight_.clear();
    lost_.clear();
  }
}

void Sender::DetectLosses(Micros now) {
  rack_timer_ = kNever;
  // RACK (RFC 8985): a chunk sent before one that was acknowledged is lost
  // once a round trip and a quarter have passed since it was sent, even
  // when too few chunks follow it to count (a small window, the tail).
  const Micros srtt = rtt_.has_sample() ? rtt_.srtt() : RttEstimator::kInitialRto;
  const Micros reorder_wait = srtt + srtt / 4;
  while (!flight_.empty()) {
    const Flight f = flight_.front();
    Chunk& c = chunk_[f.seq];
    if (c.acked || c.lost || c.tx != f.tx) {
      flight_.pop_front();  // settled, or sent again since
      continue;
    }
    if (f.tx + kReorderTolerance > highest_acked_tx_) {
      if (f.tx >= highest_acked_tx_) break;
      if (now - c.sent_at < reorder_wait) {
        rack_timer_ = c.sent_at + reorder_wait;
        break;
      }
    }
    c.lost = true;
    --in_flight_;
    lost_.push_back(f.seq);
    cc_.Lost(f.tx, next_tx_);
    flight_.pop_front();
  }
}

void Sender::Probe(Micros now, Outbox* out) {
  probe_timer_ = kNever;
  probed_ = true;
  for (auto it = flight_.rbegin(); it != flight_.rend(); ++it) {
    Chunk& c = chunk_[it->seq];
    if (c.acked || c.lost || c.tx != it->tx) continue;
    c.retransmitted = true;
    ++retransmissions_;
    --in_flight_;  // SendChunk counts it again
    SendChunk(it->seq, now, out);
    return;
  }
}

void Sender::OnTimeout(Micros now) {
  timer_ = kNever;
  probe_timer_ = kNever;
  ++timeouts_;
  rtt_.Backoff();
  if (state_ != State::kSending) {
    control_due_ = true;  // START or FIN again
    control_retransmitted_ = true;
    return;
  }
  cc_.Timeout(next_tx_);
  for (const Flight& f : flight_) {
    Chunk& c = chunk_[f.seq];
    if (c.acked || c.lost || c.tx != f.tx) continue;
    c.lost = true;
    --in_flight_;
    lost_.push_back(f.seq);
  }
  flight_.clear();
  // Nothing was in flight, yet chunks are unacknowledged (the receiver's
  // limit stopped us and the ACK that raised it was lost): probe with the
  // lowest.
  if (lost_.empty() && cumulative_ < chunks_ && chunk_[cumulative_].tx != 0 &&
      !chunk_[cumulative_].acked) {
    chunk_[cumulative_].lost = true;
    lost_.push_back(cumulative_);
  }
  (void)now;
}

void Sender::SendChunk(uint32_t seq, Micros now, Outbox* out) {
  if (!source_.Read(static_cast<uint64_t>(seq) * cfg_.payload, ChunkLength(seq), &scratch_)) {
    Fail(Result::kLocalError);
    close_pending_ = true;
    return;
  }
  EncodeData(cfg_.transfer, seq, scratch_, out->Add());
  Chunk& c = chunk_[seq];
  c.tx = next_tx_++;
  c.sent_at = now;
  ++in_flight_;
  flight_.push_back({c.tx, seq});
}

void Sender::Poll(Micros now, Outbox* out) {
  if (!finished() && now - last_progress_ >= kNoProgressLimit) {
    Fail(Result::kTimeout);
    close_pending_ = true;
  }
  if (finished()) {
    if (close_pending_) EncodeClose(cfg_.transfer, result_, out->Add());
    close_pending_ = false;
    return;
  }
  if (rack_timer_ <= now) DetectLosses(now);
  if (timer_ <= now) OnTimeout(now);
  if (state_ == State::kStarting || state_ == State::kFinishing) {
    if (!control_due_) return;
    control_due_ = false;
    control_sent_at_ = now;
    if (state_ == State::kStarting) {
      EncodeStart(cfg_.transfer, {cfg_.ticket, cfg_.size, cfg_.sha256, cfg_.payload}, out->Add());
    } else {
      EncodeFin(cfg_.transfer, out->Add());
    }
    timer_ = now + rtt_.rto();
    return;
  }
  size_t budget = cfg_.burst;
  while (budget > 0 && in_flight_ < cc_.window() && !finished()) {
    if (!lost_.empty()) {
      const uint32_t seq = lost_.front();
      lost_.pop_front();
      Chunk& c = chunk_[seq];
      if (c.acked || !c.lost) continue;
      c.lost = false;
      c.retransmitted = true;
      ++retransmissions_;
      SendChunk(seq, now, out);
    } else if (next_new_ < chunks_ && next_new_ < limit_) {
      SendChunk(next_new_++, now, out);
    } else {
      break;
    }
    --budget;
  }
  if (finished()) {
    Poll(now, out);  // the CLOSE for a read failure
    return;
  }
  if (in_flight_ > 0 && timer_ == kNever) timer_ = now + rtt_.rto();
  if (in_flight_ == 0 || probed_) {
    probe_timer_ = kNever;
  } else if (probe_timer_ == kNever) {
    const Micros srtt = rtt_.has_sample() ? rtt_.srtt() : RttEstimator::kInitialRto;
    probe_timer_ = now + std::max<Micros>(2 * srtt, 10'000);
  } else if (probe_timer_ <= now && budget > 0) {
    Probe(now, out);
  }
}

Micros Sender::NextWakeup() const {
  if (finished()) return close_pending_ ? 0 : kNever;
  if (control_due_ && state_ != State::kSending) return 0;
  if (state_ == State::kSending && in_flight_ < cc_.window() &&
      (!lost_.empty() || (next_new_ < chunks_ && next_new_ < limit_))) {
    return 0;
  }
  return std::min({timer_, rack_timer_, probe_timer_, last_progress_ + kNoProgressLimit});
}

}  // namespace caucus::p2p
