// Bus: the live channel between the caucusd nodes of one deployment.
//
// Subjects and payloads are bytes; what travels on them is the cluster's
// business (src/cluster). The bus is a hint, never the truth: a message may
// be lost (a node or the broker restarts), so whatever a node must not miss
// is also in the store, and a node that was cut off catches up from the
// store's change feed when it is connected again.
//
// Thread-safety: event loop thread only. Handlers and the connection
// callbacks run on the loop (through the executor the implementation was
// given), never on the bus library's threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace caucus::bus {

class Bus {
 public:
  using Handler = std::function<void(std::string_view subject, std::string_view payload)>;
  using SubscriptionId = uint64_t;

  virtual ~Bus() = default;
  // Sends `payload` to every subscriber of `subject` (this node's own
  // subscriptions included), at the end of the loop's current turn, in the
  // order of the calls. Never blocks; drops the message if the broker
  // cannot be reached.
  virtual void Publish(std::string_view subject, std::string_view payload) = 0;
  // `subject` may end in a NATS wildcard (`>`); returns an id for Unsubscribe.
  virtual SubscriptionId Subscribe(std::string_view subject, Handler handler) = 0;
  virtual void Unsubscribe(SubscriptionId id) = 0;
  // Called on the loop each time the connection to the broker comes back
  // after it was lost: what was published meanwhile is gone.
  virtual void OnReconnected(std::function<void()> fn) = 0;
  virtual bool connected() const = 0;

  // What travelled, for /metrics and benchmarks: broker messages and the
  // payloads (Publish calls, handler calls) they carried, and the loop's
  // reads that brought messages (hand_overs).
  struct Stats {
    uint64_t messages_sent = 0;
    uint64_t payloads_sent = 0;
    uint64_t messages_received = 0;
    uint64_t payloads_received = 0;
    uint64_t hand_overs = 0;
  };
  virtual Stats stats() const = 0;
};

}  // namespace caucus::bus
