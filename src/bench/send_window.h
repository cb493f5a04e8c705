// SendWindow: the flow control of the fanout workload. Each sender may run
// at most `window` messages ahead of the probe: it sends message k only once
// the probe has received its message k - window. So the load is paced by
// what the server actually delivers, not by how fast the senders can write.
//
// Pure bookkeeping; thread-safety: none (the senders and the probe share
// one event loop).
#pragma once

#include <cstdint>
#include <vector>

namespace caucus::bench {

class SendWindow {
 public:
  // REQUIRES: senders > 0, messages >= 0, window > 0.
  SendWindow(int senders, int64_t messages, int64_t window);

  // True when sender `s` has messages left and fewer than `window` of its
  // messages are still unseen by the probe.
  bool CanSend(int s) const;

  // Records that sender `s` sent its next message; returns that message's
  // sequence number (0-based). REQUIRES: CanSend(s).
  int64_t Sent(int s);

  // Records that the probe received message `seq` of sender `s`. Returns
  // false, and changes nothing, when that message was never sent or was
  // already received (a duplicate); out-of-order arrivals are counted.
  bool Received(int s, int64_t seq);

  int64_t sent(int s) const { return senders_[s].sent; }
  int64_t received(int s) const { return senders_[s].received; }
  int64_t out_of_order() const { return out_of_order_; }

  // True once every sender has sent, and the probe received, all messages.
  bool AllReceived() const { return total_received_ == total_; }

 private:
  struct Sender {
    int64_t sent = 0;
    int64_t received = 0;
    int64_t next_expected = 0;  // in-order arrivals advance this
    std::vector<bool> early;    // arrivals beyond next_expected, by seq
  };
  std::vector<Sender> senders_;
  int64_t messages_;
  int64_t window_;
  int64_t total_;
  int64_t total_received_ = 0;
  int64_t out_of_order_ = 0;
};

}  // namespace caucus::bench
