// Population: the clients of one run, owned together and spread over the
// fleet's event loops.
#pragma once

#include <memory>
#include <vector>

#include "bench/client.h"
#include "bench/context.h"

namespace caucus::bench {

template <typename ClientType>
class Population {
 public:
  explicit Population(int loops) : by_loop_(loops) {}

  // Adds a client that runs on loop `loop`; returns it.
  ClientType& Add(int loop, std::unique_ptr<ClientType> client) {
    by_loop_[loop].push_back(client.get());
    all_.push_back(std::move(client));
    return *all_.back();
  }

  const std::vector<std::vector<Client*>>& by_loop() const { return by_loop_; }
  const std::vector<std::unique_ptr<ClientType>>& all() const { return all_; }

  int64_t errors() const {
    int64_t n = 0;
    for (const auto& c : all_) n += c->errors();
    return n;
  }

  // The first error any client saw, or empty.
  std::string first_error() const {
    for (const auto& c : all_) {
      if (!c->last_error().empty()) return c->last_error();
    }
    return {};
  }

  // Keeps the session tokens the clients hold, for the next run.
  void LearnTokens(AccountPool* pool) const {
    if (pool == nullptr) return;
    for (const auto& c : all_) {
      if (c->adapter().token().empty()) continue;
      pool->Learn(c->adapter().name(), c->adapter().token());
    }
  }

 private:
  std::vector<std::vector<Client*>> by_loop_;
  std::vector<std::unique_ptr<ClientType>> all_;
};

}  // namespace caucus::bench
