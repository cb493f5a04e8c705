// ClusterNode: this caucusd as one node of a deployment: core::Cluster
// over the bus (src/bus), and the other nodes' events handed to the domain.
//
// Subjects: `caucus.all` carries what every node needs (presence, beats,
// broadcasts, change hints); `caucus.node.<id>` what concerns one node's
// sessions (deliveries, kicks, the session lists a joining node asks for).
// A node hears only its own subject and the common one.
//
// Liveness: every node beats once a second on `caucus.all`; a node not
// heard for `ttl_ms` is declared gone by each of the others, which drop its
// sessions from presence (PRESENCE ... offline to their own sessions). A
// node that finds itself paused for longer than that (its own timer late
// by more than the TTL) assumes it was declared gone: it ends its sessions
// with BYE SHUTDOWN (their clients come back and RESUME) before serving
// on, and says HELLO again. A node that joins or comes back to the bus
// says HELLO; the others answer with their sessions.
//
// Thread-safety: event loop thread only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "cluster/event.h"
#include "core/caucus.h"
#include "core/cluster.h"

namespace caucus::cluster {

class ClusterNode final : public core::Cluster {
 public:
  // `caucus` must outlive the node; the node sets itself as its cluster.
  ClusterNode(bus::Bus& bus, core::Caucus& caucus, std::string node_id, int64_t ttl_ms);
  ~ClusterNode() override;

  // Subscribes, says HELLO and starts beating.
  void Start();

  // core::Cluster
  void Attached(const core::Session& s) override;
  void Detached(const core::Session& s) override;
  void PortsChanged(const core::Session& s) override;
  void DeliverTo(const core::Account& account, const protocol::SharedLine& line,
                 int64_t stored_id) override;
  void Broadcast(core::AccountId sender, const protocol::SharedLine& line) override;
  void Kick(const core::Account& account, protocol::Bye reason) override;
  void Changed() override;
  void LockoutChanged(const store::LockoutRecord& record) override;
  void Invite(const core::Account& invitee, core::AccountId inviter, const std::string& id,
              const std::string& invited) override;
  void Answer(core::NodeSlot inviter_node, const std::string& id,
              const std::string& answer) override;
  void Uninvite(const core::Account& invitee, const std::string& id) override;
  uint64_t published() const override { return published_; }
  void Sync(std::function<void()> done) override;

  const std::string& node_id() const { return node_; }
  // Other nodes heard from and not gone, for /metrics and tests.
  size_t peers() const { return nodes_.size(); }

 private:
  struct Node {
    std::string id;
    std::string incarnation;
    core::NodeSlot slot = 0;
    core::TimeMs last_heard = 0;
  };

  Event Make(Event::Kind kind) const;
  void Publish(const std::string& subject, const Event& e);
  void OnEvent(std::string_view payload);
  // The slot of the sender; a new incarnation of a known node replaces the
  // old one, whose sessions are gone.
  Node* Heard(const Event& e);
  void Gone(const std::string& id);
  void SayHello();
  void TellSessions(const std::string& to_node);
  void Tick();
  // The nodes that have sessions of `account`.
  std::vector<std::string> NodesOf(const core::Account& account) const;

  bus::Bus& bus_;
  core::Caucus& caucus_;
  core::World& w_;
  const std::string node_;
  const std::string incarnation_;
  const int64_t ttl_ms_;
  std::map<std::string, Node> nodes_;  // by id
  std::map<core::NodeSlot, std::string> by_slot_;
  core::NodeSlot next_slot_ = 1;
  core::TimeMs last_tick_ = 0;
  core::Scheduler::TimerId timer_ = 0;
  std::vector<bus::Bus::SubscriptionId> subscriptions_;
  uint64_t published_ = 0;  // events told (beats, hellos, syncs and acks aside)
  bool hinted_ = false;     // a CHANGED heard since the last SYNC answered
  struct PendingSync {
    std::vector<std::string> waiting;  // nodes that have not answered
    std::function<void()> done;
    core::Scheduler::TimerId timer = 0;
  };
  int64_t next_sync_ = 1;
  std::map<int64_t, PendingSync> syncs_;
  void Synced(int64_t token, const std::string& node);
};

}  // namespace caucus::cluster
