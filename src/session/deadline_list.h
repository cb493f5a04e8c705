// DeadlineList: one fixed timeout for many entries (idle sessions, or
// connections that have not logged in), with one timer in all.
//
// Entries sit in an intrusive list in the order they were last touched, so
// the list is also ordered by deadline: touching is O(1), and the single
// timer only ever waits for the head. An entry costs two pointers and a
// time point; the list allocates nothing per entry.
//
// Thread-safety: event loop thread only.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>

namespace caucus::session {

class DeadlineList;

struct DeadlineEntry {
  DeadlineEntry* prev = nullptr;
  DeadlineEntry* next = nullptr;
  std::chrono::steady_clock::time_point touched;
  DeadlineList* list = nullptr;  // the list the entry is in, if any
};

class DeadlineList {
 public:
  using Expire = std::function<void(DeadlineEntry*)>;
  // A zero timeout turns the list off: Touch() does nothing.
  DeadlineList(boost::asio::io_context& io, std::chrono::milliseconds timeout, Expire expire)
      : timer_(io), timeout_(timeout), expire_(std::move(expire)) {}

  // (Re)starts the entry's timeout from now. An entry is in one list at a
  // time: touching it here takes it out of any other.
  void Touch(DeadlineEntry* e);
  // Takes the entry out of this list; does nothing if it is not in it.
  void Remove(DeadlineEntry* e);
  void Stop();

 private:
  void Arm();
  void OnTimer();

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds timeout_;
  Expire expire_;
  DeadlineEntry* head_ = nullptr;
  DeadlineEntry* tail_ = nullptr;
  bool armed_ = false;
  bool stopped_ = false;
};

}  // namespace caucus::session
