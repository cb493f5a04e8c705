// DomainRunner: the domain (core::Caucus) for one command of caucusd's
// command line, on an event loop of its own. A subcommand that changes
// accounts or polls goes through the same code as the protocol's verbs, so
// each rule has one home; the running server sees the change through the
// store's change feed.
//
//   auto d = DomainRunner::Open(options);
//   auto opened = d->Run<core::TimeMs>([&](auto done) {
//     d->caucus().polls().Open("operator", "p3", done);
//   });
//
// Thread-safety: one thread, the one that calls Open() and Run().
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/caucus.h"
#include "core/clock.h"
#include "core/outcome.h"
#include "server/hasher_pool.h"
#include "server/loop_scheduler.h"
#include "server/options.h"
#include "store/file_key_vault.h"
#include "store/store.h"

namespace caucus::cli {

class DomainRunner {
 public:
  // Opens the store and the key vault and loads the domain; prints why not
  // on standard error and returns null on failure.
  static std::unique_ptr<DomainRunner> Open(const server::ServerOptions& options);
  ~DomainRunner();

  core::Caucus& caucus() { return *caucus_; }
  store::Store& store() { return *store_; }

  // Calls `call` with a reply and runs the loop until the reply comes.
  template <class T>
  core::Outcome<T> Run(const std::function<void(core::Reply<T>)>& call) {
    std::optional<core::Outcome<T>> out;
    call([this, &out](core::Outcome<T> o) {
      out.emplace(std::move(o));
      io_.stop();
    });
    if (!out) RunLoop();
    return std::move(*out);
  }

 private:
  explicit DomainRunner(const server::ServerOptions& options);
  void RunLoop();

  const server::ServerOptions options_;
  boost::asio::io_context io_{1};
  std::atomic<bool> loop_running_{false};
  core::SystemClock clock_;
  server::LoopScheduler scheduler_{io_};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<server::HasherPool> hasher_;
  std::unique_ptr<store::FileKeyVault> keys_;
  std::unique_ptr<core::Caucus> caucus_;
};

// The words of a domain failure for a person, e.g. "NAME_TAKEN: that name
// is taken".
std::string FailureText(const core::Failure& failure);

}  // namespace caucus::cli
