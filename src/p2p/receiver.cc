#include "p2p/receiver.h"

#include <algorithm>
#include <vector>

namespace caucus::p2p {

Receiver::Receiver(uint32_t transfer, const Start& start, Sink& sink, Micros now)
    : transfer_(transfer), start_(start), sink_(sink), last_progress_(now) {
  chunks_ = static_cast<uint32_t>((start_.size + start_.payload - 1) / start_.payload);
  window_ = static_cast<uint32_t>(std::clamp<size_t>(kWindowBytes / start_.payload, 16, 16384));
  crypto_hash_sha256_init(&hash_);
  if (chunks_ == 0) Finish(Result::kOk, now);
}

size_t Receiver::ChunkLength(uint32_t seq) const {
  if (seq + 1 < chunks_) return start_.payload;
  return static_cast<size_t>(start_.size - static_cast<uint64_t>(seq) * start_.payload);
}

void Receiver::Cancel(Micros now) {
  if (finished()) return;
  state_ = State::kFailed;
  result_ = Result::kCancelled;
  close_due_ = true;
  linger_until_ = now + kLinger;
}

void Receiver::Fail(Result r, Micros now) {
  state_ = State::kFailed;
  result_ = r;
  close_due_ = true;
  early_.clear();
  linger_until_ = now + kLinger;
}

void Receiver::Finish(Result r, Micros now) {
  if (r == Result::kOk) {
    Sha256 got;
    crypto_hash_sha256_final(&hash_, got.data());
    if (got != start_.sha256) r = Result::kHashMismatch;
  }
  state_ = r == Result::kOk ? State::kDone : State::kFailed;
  result_ = r;
  close_due_ = true;
  ack_due_ = true;
  early_.clear();
  linger_until_ = now + kLinger;
}

void Receiver::OnDatagram(const Datagram& d, Micros now) {
  switch (d.type) {
    case Type::kStart:
    case Type::kFin:
      ack_due_ = true;
      if (finished()) close_due_ = true;
      break;
    case Type::kData:
      ++batch_data_;
      OnData(d.seq, d.data, now);
      break;
    case Type::kClose:
      if (!finished()) {
        // The sender gave up; it needs no answer.
        state_ = State::kFailed;
        result_ = d.result == Result::kOk ? Result::kCancelled : d.result;
        early_.clear();
        linger_until_ = now + kLinger;
      }
      break;
    case Type::kAck:
      break;  // goes the other way
  }
}

void Receiver::OnData(uint32_t seq, std::string_view data, Micros now) {
  ack_due_ = true;
  if (finished()) {
    close_due_ = true;  // the sender missed the result
    return;
  }
  if (seq >= chunks_ || data.size() != ChunkLength(seq)) return;
  if (seq < cumulative_ || seq >= cumulative_ + window_) return;  // a duplicate, or too early
  if (seq == cumulative_) {
    if (!sink_.Append(data)) return Finish(Result::kLocalError, now);
    crypto_hash_sha256_update(&hash_, reinterpret_cast<const unsigned char*>(data.data()),
                              data.size());
    delivered_bytes_ += data.size();
    ++cumulative_;
  } else if (!early_.emplace(seq, std::string(data)).second) {
    return;  // a duplicate
  }
  last_seq_ = seq;
  last_progress_ = now;
  for (auto it = early_.begin(); it != early_.end() && it->first == cumulative_;
       it = early_.erase(it)) {
    if (!sink_.Append(it->second)) return Finish(Result::kLocalError, now);
    crypto_hash_sha256_update(&hash_, reinterpret_cast<const unsigned char*>(it->second.data()),
                              it->second.size());
    delivered_bytes_ += it->second.size();
    ++cumulative_;
  }
  if (cumulative_ == chunks_) Finish(Result::kOk, now);
}

void Receiver::BuildAck(Ack* ack) const {
  ack->cumulative = cumulative_;
  ack->limit = finished() ? chunks_ : std::min(chunks_, cumulative_ + window_);
  ack->sack.clear();
  // The block holding the latest arrival first (RFC 2018), then the lowest.
  std::vector<Range> ranges;
  for (const auto& [seq, data] : early_) {
    if (!ranges.empty() && ranges.back().end == seq) {
      ++ranges.back().end;
    } else {
      ranges.push_back({seq, seq + 1});
    }
  }
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].begin <= last_seq_ && last_seq_ < ranges[i].end) {
      ack->sack.push_back(ranges[i]);
      ranges.erase(ranges.begin() + static_cast<ptrdiff_t>(i));
      break;
    }
  }
  for (const Range& r : ranges) {
    if (ack->sack.size() == kMaxSackBlocks) break;
    ack->sack.push_back(r);
  }
}

void Receiver::Poll(Micros now, Outbox* out) {
  if (!finished() && now - last_progress_ >= kNoProgressLimit) {
    state_ = State::kFailed;
    result_ = Result::kTimeout;
    close_due_ = true;
    early_.clear();
    linger_until_ = now + kLinger;
  }
  if (ack_due_ && state_ != State::kFailed) {
    BuildAck(&ack_);
    EncodeAck(transfer_, ack_, out->Add());
    // A second copy when the flow is thin (a lost ACK would cost a
    // timeout) or the batch large (one ACK answers many chunks).
    if (batch_data_ < 4 || batch_data_ >= 16) EncodeAck(transfer_, ack_, out->Add());
  }
  ack_due_ = false;
  batch_data_ = 0;
  if (close_due_) EncodeClose(transfer_, result_, out->Add());
  close_due_ = false;
}

Micros Receiver::NextWakeup() const {
  if (ack_due_ || close_due_) return 0;
  if (finished()) return linger_until_;
  return last_progress_ + kNoProgressLimit;
}

}  // namespace caucus::p2p
