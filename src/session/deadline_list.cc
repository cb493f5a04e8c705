#include "session/deadline_list.h"

namespace caucus::session {

void DeadlineList::Touch(DeadlineEntry* e) {
  if (timeout_.count() == 0 || stopped_) return;
  if (e->list) e->list->Remove(e);
  e->touched = std::chrono::steady_clock::now();
  e->prev = tail_;
  e->next = nullptr;
  if (tail_) {
    tail_->next = e;
  } else {
    head_ = e;
  }
  tail_ = e;
  e->list = this;
  Arm();
}

void DeadlineList::Remove(DeadlineEntry* e) {
  if (e->list != this) return;
  (e->prev ? e->prev->next : head_) = e->next;
  (e->next ? e->next->prev : tail_) = e->prev;
  e->prev = e->next = nullptr;
  e->list = nullptr;
}

void DeadlineList::Stop() {
  stopped_ = true;
  timer_.cancel();
}

void DeadlineList::Arm() {
  // The timer may fire before the head's deadline (the head was touched
  // since); OnTimer then simply waits again.
  if (armed_ || head_ == nullptr) return;
  armed_ = true;
  timer_.expires_at(head_->touched + timeout_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    armed_ = false;
    if (!ec && !stopped_) OnTimer();
  });
}

void DeadlineList::OnTimer() {
  const auto now = std::chrono::steady_clock::now();
  while (head_ && head_->touched + timeout_ <= now) {
    DeadlineEntry* e = head_;
    Remove(e);
    expire_(e);
  }
  Arm();
}

}  // namespace caucus::session
