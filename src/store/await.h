// Await: waits for one asynchronous store call, for start-up and the
// command line, where blocking is what is wanted.
//
//   auto accounts = Await<std::vector<AccountRecord>>(
//       [&](auto done) { store.LoadAccounts(done); });
//
// REQUIRES: the store's executor must not need the calling thread to run
// the completion (an inline executor, or the event loop not yet started).
#pragma once

#include <future>
#include <utility>

#include "store/result.h"
#include "store/store.h"

namespace caucus::store {

template <class T, class Call>
Result<T> Await(Call&& call) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  call(Callback<T>([&promise](Result<T> r) { promise.set_value(std::move(r)); }));
  return future.get();
}

// An executor that runs completions at once, on the store's thread.
inline Executor InlineExecutor() {
  return [](std::function<void()> fn) { fn(); };
}

}  // namespace caucus::store
