// WriteQueue is the order in which a store engine's writer thread takes its
// jobs: the one piece of scheduling SqliteEngine and PgEngine share.
//
// Writes are taken in groups of up to `max_batch`, in submission order.
// Writes nobody waits for may linger for company: while only such writes
// are queued, Take() waits up to `linger` for more, so that a burst of them
// shares one commit. A write somebody waits for, a full group, a Drain(),
// a background job or the engine's stop ends the wait at once.
//
// Background jobs (pruning the log) keep their place in the order of
// submission but are taken alone: a group takes only the writes submitted
// before the first background job waiting.
//
// Not thread-safe by itself: every call is made holding the engine's mutex
// of its writes, the one `Take()` is given.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

namespace caucus::store {

// Job: movable, with `bool waited_for` and `uint64_t seq` members.
template <typename Job>
class WriteQueue {
 public:
  WriteQueue(size_t max_batch, std::chrono::milliseconds linger)
      : max_batch_(max_batch), linger_(linger) {}

  // Queues a write; true when the writer must be woken (a lingering writer
  // is woken only by what ends its wait).
  bool Push(Job job) {
    job.seq = ++submitted_;
    if (job.waited_for) ++waited_for_;
    jobs_.push_back(std::move(job));
    return !lingering_ || jobs_.back().waited_for || jobs_.size() >= max_batch_;
  }
  // Queues a background job (the writer must always be woken).
  void PushBackground(Job job) {
    job.seq = ++submitted_;
    job.waited_for = false;
    background_.push_back(std::move(job));
  }

  bool has_work() const { return !jobs_.empty() || !background_.empty(); }
  // Nothing queued and no group running.
  bool idle() const { return !has_work() && !writing_; }

  // While a Drain() is in progress nobody lingers.
  void BeginDrain() { ++draining_; }
  void EndDrain() { --draining_; }

  // Takes the writer's next group into `*batch`: one background job
  // (`*background` set), or writes (after lingering for company, waiting on
  // `cv` with `lock`, which must hold the engine's mutex). False when
  // nothing is queued. Marks a group as running until Done().
  bool Take(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, const bool& stopping,
            std::vector<Job>* batch, bool* background) {
    if (!has_work()) return false;
    *background =
        !background_.empty() && (jobs_.empty() || background_.front().seq < jobs_.front().seq);
    if (*background) {
      batch->push_back(std::move(background_.front()));
      background_.pop_front();
    } else {
      const auto company = [&] {
        return stopping || waited_for_ > 0 || draining_ > 0 || jobs_.size() >= max_batch_ ||
               !background_.empty();
      };
      if (!company()) {
        lingering_ = true;
        cv.wait_for(lock, linger_, company);
        lingering_ = false;
      }
      const uint64_t before = background_.empty() ? UINT64_MAX : background_.front().seq;
      while (!jobs_.empty() && batch->size() < max_batch_ && jobs_.front().seq < before) {
        if (jobs_.front().waited_for) --waited_for_;
        batch->push_back(std::move(jobs_.front()));
        jobs_.pop_front();
      }
    }
    writing_ = true;
    return true;
  }
  // The group taken last has run.
  void Done() { writing_ = false; }

 private:
  const size_t max_batch_;
  const std::chrono::milliseconds linger_;
  std::deque<Job> jobs_;
  std::deque<Job> background_;
  size_t waited_for_ = 0;   // queued writes somebody waits on
  uint64_t submitted_ = 0;  // the last seq given
  int draining_ = 0;
  bool lingering_ = false;
  bool writing_ = false;
};

}  // namespace caucus::store
