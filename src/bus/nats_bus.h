// NatsBus: the Bus on a NATS broker (core NATS, not JetStream), through the
// NATS C client (Debian's libnats-dev).
//
// The client's threads read from the broker; each message is copied into an
// inbox that the loop drains, so handlers run where the domain lives. One
// drain runs every message that arrived while the loop was busy: a burst
// from the bus costs one hand-over and, for the sessions it reaches, one
// flush pass (one write per session), as a burst read from clients does.
// Publishing is batched the same way: what one turn of the loop publishes
// to one subject leaves as one NATS message at the end of the turn (framed,
// src/bus/frames.h), consecutive publications to a subject together and the
// order of all of them kept; the receiving bus splits it again.
// The connection retries for ever (every 250 ms) when the broker goes away,
// and a node starts even if the broker is down.
//
// Thread-safety: calls from the loop thread; see Bus.
#pragma once

#include <atomic>
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

class NatsBus final : public Bus {
 public:
  using Executor = std::function<void(std::function<void()>)>;

  // Connects to `url` (nats://host:port). Null, with `*error` set, when the
  // URL is not a NATS one or the client cannot start.
  static std::unique_ptr<NatsBus> Connect(const std::string& url, Executor executor,
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
  struct Incoming {
    SubscriptionId id;
    std::string subject;
    std::string payload;
  };
  // What the client's threads may touch: it outlives the connection.
  struct Shared : std::enable_shared_from_this<Shared> {
    Executor executor;
    std::atomic<bool> connected{false};
    NatsBus* bus = nullptr;  // the loop's only; null once the bus is gone
    std::mutex mu;           // guards what follows
    std::vector<Incoming> inbox;
    bool drain_posted = false;  // a Drain is queued on the loop
    bool closed = false;        // the client has called its last callback
    int live_subs = 0;          // subscriptions whose delivery has not ended
    std::condition_variable closed_cv;
  };
  // A subscription's closure for the client's delivery thread. The client
  // owns it from Subscribe until its completion callback, which runs after
  // the last message handler has returned: freeing it any earlier (at
  // Unsubscribe, or when the bus goes) raced a message in flight.
  struct Sub {
    std::shared_ptr<Shared> shared;
    SubscriptionId id = 0;
  };

  explicit NatsBus(Executor executor);
  static void OnMessage(__natsConnection*, __natsSubscription*, __natsMsg* msg, void* closure);
  static void OnConnected(__natsConnection*, void* closure);
  static void OnDisconnected(__natsConnection*, void* closure);
  static void OnClosed(__natsConnection*, void* closure);
  static void OnReconnectedCb(__natsConnection*, void* closure);
  static void OnSubComplete(void* closure);
  // On the loop: runs every message in the inbox.
  static void Drain(const std::shared_ptr<Shared>& shared);
  // Publishes what this turn queued.
  void FlushOutbox();

  std::shared_ptr<Shared> state_;
  __natsConnection* conn_ = nullptr;
  std::function<void()> reconnected_;
  SubscriptionId next_ = 1;
  std::map<SubscriptionId, Handler> handlers_;
  std::map<SubscriptionId, __natsSubscription*> subs_;  // until the destructor
  std::vector<Outgoing> outbox_;
  Stats stats_;
  bool flush_posted_ = false;
  // A message grows to about this size before the next one starts (the
  // broker's default limit is 1 MiB).
  static constexpr size_t kMessageBytes = 256 * 1024;
};

}  // namespace caucus::bus
