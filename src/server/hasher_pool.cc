#include "server/hasher_pool.h"

#include <boost/asio/post.hpp>

#include "core/secrets.h"

namespace caucus::server {

HasherPool::HasherPool(boost::asio::io_context& loop, int threads, core::HashCost cost)
    : loop_(loop), cost_(cost) {
  if (threads <= 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

HasherPool::~HasherPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void HasherPool::Submit(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void HasherPool::Run() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

void HasherPool::Hash(std::string password, std::function<void(std::optional<std::string>)> done) {
  Submit([this, password = std::move(password), done = std::move(done)]() mutable {
    auto hash = core::HashPassword(password, cost_);
    core::Wipe(password);
    boost::asio::post(loop_, [hash = std::move(hash), done = std::move(done)] { done(hash); });
  });
}

void HasherPool::Verify(std::string hash, std::string password,
                        std::function<void(core::Verification)> done) {
  Submit([this, hash = std::move(hash), password = std::move(password),
          done = std::move(done)]() mutable {
    const auto v = core::VerifyPassword(hash, password, cost_);
    core::Wipe(password);
    boost::asio::post(loop_, [v, done = std::move(done)] { done(v); });
  });
}

}  // namespace caucus::server
