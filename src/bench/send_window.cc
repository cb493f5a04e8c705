#include "bench/send_window.h"

#include <cassert>

namespace caucus::bench {

SendWindow::SendWindow(int senders, int64_t messages, int64_t window)
    : senders_(senders), messages_(messages), window_(window), total_(senders * messages) {
  assert(senders > 0 && messages >= 0 && window > 0);
}

bool SendWindow::CanSend(int s) const {
  const Sender& x = senders_[s];
  return x.sent < messages_ && x.sent < x.received + window_;
}

int64_t SendWindow::Sent(int s) {
  assert(CanSend(s));
  return senders_[s].sent++;
}

bool SendWindow::Received(int s, int64_t seq) {
  if (s < 0 || s >= static_cast<int>(senders_.size())) return false;
  Sender& x = senders_[s];
  if (seq < x.next_expected || seq >= x.sent) return false;
  if (seq == x.next_expected) {
    ++x.next_expected;
    // Absorb earlier out-of-order arrivals that are now contiguous.
    while (x.next_expected < static_cast<int64_t>(x.early.size()) && x.early[x.next_expected]) {
      x.early[x.next_expected] = false;
      ++x.next_expected;
    }
  } else {
    if (seq >= static_cast<int64_t>(x.early.size())) x.early.resize(seq + 1, false);
    if (x.early[seq]) return false;
    x.early[seq] = true;
    ++out_of_order_;
  }
  ++x.received;
  ++total_received_;
  return true;
}

}  // namespace caucus::bench
