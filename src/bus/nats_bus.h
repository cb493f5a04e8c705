// NatsBus: the Bus on a NATS broker (core NATS, not JetStream), through the
// NATS C client (Debian's libnats-dev).
//
// The client's socket is driven by the node's loop (src/bus/nats_loop.h):
// the loop reads it when it is readable, and every message of a read is
// handled at once, in order, on the loop: a burst from the bus costs one
// read and, for the sessions it reaches, one flush pass (one write per
// session), as a burst read from clients does. No thread of the client
// stands between the broker and the handlers.
// Publishing is batched the same way: what one turn of the loop publishes
// to one subject leaves as one NATS message at the end of the turn (framed,
// src/bus/frames.h), consecutive publications to a subject together and the
// order of all of them kept; the receiving bus splits it again. The loop
// writes the turn's messages to the broker in one write.
// The connection retries for ever (every 250 ms) when the broker goes away,
// and a node starts even if the broker is down.
//
// Thread-safety: calls from the loop thread; see Bus.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bus/bus.h"

struct __natsConnection;
struct __natsSubscription;
struct __natsMsg;

namespace caucus::bus {

class NatsLoop;

class NatsBus final : public Bus {
 public:
  // Connects to `url` (nats://host:port), on the loop `io` runs. Null, with
  // `*error` set, when the URL is not a NATS one or the client cannot start.
  static std::unique_ptr<NatsBus> Connect(const std::string& url, boost::asio::io_context& io,
                                          std::string* error);
  ~NatsBus() override;

  void Publish(std::string_view subject, std::string_view payload) override;
  SubscriptionId Subscribe(std::string_view subject, Handler handler) override;
  void Unsubscribe(SubscriptionId id) override;
  void OnReconnected(std::function<void()> fn) override { reconnected_ = std::move(fn); }
  bool connected() const override { return state_->connected.load(); }
  Stats stats() const override { return stats_; }

 private:
  struct Outgoing {
    std::string subject;
    std::string frames;  // framed payloads
  };
  // What the client's threads may touch: it outlives the connection.
  struct Shared : std::enable_shared_from_this<Shared> {
    explicit Shared(boost::asio::io_context& io) : io(io) {}
    boost::asio::io_context& io;
    std::atomic<bool> connected{false};
    NatsBus* bus = nullptr;  // the loop's only; null once the bus is gone
    std::mutex mu;           // guards what follows
    bool closed = false;     // the client has called its last callback
    std::condition_variable closed_cv;
  };

  explicit NatsBus(boost::asio::io_context& io);
  static void OnConnected(__natsConnection*, void* closure);
  static void OnDisconnected(__natsConnection*, void* closure);
  static void OnClosed(__natsConnection*, void* closure);
  static void OnReconnectedCb(__natsConnection*, void* closure);
  // On the loop, after each read of the socket: runs every message it
  // brought, subscription by subscription.
  static void Drain(const std::shared_ptr<Shared>& shared);
  // Publishes what this turn queued.
  void FlushOutbox();
  // Handled messages are given back to the client in bulk: it frees each
  // on its garbage collector's thread, waking that thread when it was idle,
  // which per message was a context switch per bus message.
  void Spent(__natsMsg* msg);
  void FreeSpent();

  std::shared_ptr<Shared> state_;
  std::shared_ptr<NatsLoop> loop_;
  __natsConnection* conn_ = nullptr;
  std::function<void()> reconnected_;
  SubscriptionId next_ = 1;
  std::map<SubscriptionId, Handler> handlers_;
  std::map<SubscriptionId, __natsSubscription*> subs_;  // until the destructor
  std::vector<Outgoing> outbox_;
  Stats stats_;
  bool flush_posted_ = false;
  std::vector<__natsMsg*> spent_;
  size_t spent_bytes_ = 0;
  boost::asio::steady_timer spent_timer_;
  bool spent_timer_armed_ = false;
  // A message grows to about this size before the next one starts (the
  // broker's default limit is 1 MiB).
  static constexpr size_t kMessageBytes = 256 * 1024;
  // Spent messages are freed when they hold this much, or after this long.
  static constexpr size_t kSpentBytes = 1024 * 1024;
  static constexpr std::chrono::milliseconds kSpentLinger{100};
};

}  // namespace caucus::bus
