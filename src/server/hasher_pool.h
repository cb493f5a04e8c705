// HasherPool: the PasswordHasher on worker threads. Argon2id runs there;
// results come back to the event loop through Asio's post.
//
// Thread-safety: Hash() and Verify() are called on the event loop; the
// callbacks run there too.
#pragma once

#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/password.h"

namespace caucus::server {

class HasherPool final : public core::PasswordHasher {
 public:
  HasherPool(boost::asio::io_context& loop, int threads, core::HashCost cost);
  ~HasherPool() override;

  void Hash(std::string password, std::function<void(std::optional<std::string>)> done) override;
  void Verify(std::string hash, std::string password,
              std::function<void(core::Verification)> done) override;

 private:
  void Run();
  void Submit(std::function<void()> job);

  boost::asio::io_context& loop_;
  core::HashCost cost_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace caucus::server
