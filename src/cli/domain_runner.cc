#include "cli/domain_runner.h"

#include <boost/asio/post.hpp>
#include <filesystem>
#include <iostream>

#include "cli/cli_support.h"
#include "protocol/codes.h"

namespace caucus::cli {

DomainRunner::DomainRunner(const server::ServerOptions& options) : options_(options) {}

DomainRunner::~DomainRunner() {
  // What the command wrote without waiting (the audit log) commits before
  // the process ends; then the domain goes before the threads it uses.
  if (store_) store_->Drain();
  if (keys_) keys_->Drain();
  caucus_.reset();
  keys_.reset();
  hasher_.reset();
  store_.reset();
}

std::unique_ptr<DomainRunner> DomainRunner::Open(const server::ServerOptions& options) {
  std::unique_ptr<DomainRunner> d(new DomainRunner(options));
  std::error_code ec;
  std::filesystem::create_directories(options.data, ec);
  // While the domain loads, answers run at once on the store's thread while
  // this one waits; afterwards, on this thread in Run().
  const store::Executor on_loop = [raw = d.get()](std::function<void()> fn) {
    if (raw->loop_running_.load()) {
      boost::asio::post(raw->io_, std::move(fn));
    } else {
      fn();
    }
  };
  d->store_ = OpenStoreFor(options, "cli", 1, on_loop);
  if (!d->store_) return nullptr;
  d->hasher_ = std::make_unique<server::HasherPool>(d->io_, 1, options.core.hash_cost);
  d->keys_ = std::make_unique<store::FileKeyVault>(options.data + "/keys", on_loop);
  d->caucus_ = std::make_unique<core::Caucus>(d->options_.core, *d->store_, *d->hasher_, d->clock_,
                                              d->scheduler_, *d->keys_);
  if (auto s = d->caucus_->Load(); !s.ok()) {
    std::cerr << "caucusd: cannot load the store: " << s.message() << "\n";
    return nullptr;
  }
  d->loop_running_ = true;  // from now on every answer waits for Run()
  d->caucus_->world().loop_thread.Bind();
  return d;
}

void DomainRunner::RunLoop() {
  auto work = boost::asio::make_work_guard(io_);
  io_.restart();
  io_.run();
}

std::string FailureText(const core::Failure& failure) {
  std::string out(protocol::CodeName(failure.code));
  for (const auto& p : failure.params) out += " " + p;
  out += ": ";
  out += failure.text.empty() ? std::string(protocol::CodeText(failure.code)) : failure.text;
  return out;
}

}  // namespace caucus::cli
