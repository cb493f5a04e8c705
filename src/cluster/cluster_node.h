// ClusterNode: this caucusd as one node of a deployment: core::Cluster
// over the bus (src/bus), and the other nodes' events handed to the domain.
//
// Subjects: `caucus.all` carries what every node needs (presence, session
// lists, beats, broadcasts, change hints); `caucus.node.<id>` what concerns
// one node's sessions (deliveries, kicks, invitations, a HELLO to one
// node). A node hears only its own subject and the common one. The order of
// one node's events holds within a subject only (the NATS client delivers
// each subscription on a thread of its own): a session list goes where the
// ATTACH and DETACH events it sums up go.
//
// Liveness: every node beats once a second in the store (NodeStore::Beat,
// by the store's clock). A node whose latest beat is older than `ttl_ms`,
// or whose row is gone, is declared gone by each of the others, which drop
// its sessions from presence (PRESENCE ... offline to their own sessions)
// and release its invitations; its later events are ignored until it says
// HELLO again. A node judges the others only after beating without a gap
// for a TTL itself, so a store outage (nobody can beat) declares nobody
// gone; the bus going quiet declares nobody gone either.
//
// Fencing: a node that finds its own timer late by more than the TTL (it
// was paused), or whose beat reaches the store more than a TTL after its
// previous one without a failure between (the store's clock: the others
// may have judged meanwhile), assumes the others dropped it: it ends its
// sessions with BYE SHUTDOWN (their clients come back and RESUME) and says
// HELLO again (fenced). It checks its timer before each command, bus event
// and store completion (Awake), so a node woken from a pause serves nothing
// before its sessions end. A node that declares another gone also tells it
// so (GONE), and again whenever it hears from it until a HELLO says it
// fenced: a node cut off from the store alone (its beats fail, so it cannot
// tell from them) ends its sessions as soon as it hears, or once its bus
// is back. A node cut off from both, its beats failing and its bus down
// for a TTL and a beat, ends its sessions by itself (CheckCutOff): it
// cannot tell whether the others could beat meanwhile and judged it, and
// sessions served where nobody else sees them (kicks, revocations and
// deliveries from other nodes would not reach them) are worse than their
// clients coming back on a node that has both. A store outage with the bus
// up fences nobody, nor does a bus outage with the store up. Back on the
// bus, it says HELLO fenced, so the others do not ask it to fence again.
//
// Sessions: a node that joins or comes back to the bus says HELLO and
// tells its whole session list (SESSIONS); the others answer with theirs.
// A list replaces what a node knew of the sender's sessions, so presence
// converges after missed ATTACH and DETACH events.
//
// Thread-safety: event loop thread only.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bus/bus.h"
#include "cluster/event.h"
#include "core/caucus.h"
#include "core/cluster.h"
#include "store/store.h"

namespace caucus::cluster {

class ClusterNode final : public core::Cluster {
 public:
  // `caucus` must outlive the node; the node sets itself as its cluster.
  ClusterNode(bus::Bus& bus, core::Caucus& caucus, std::string node_id, int64_t ttl_ms);
  ~ClusterNode() override;

  // Subscribes, says HELLO and starts beating.
  void Start();
  // A clean stop: the node's heartbeat row goes, so the others forget it at
  // once (its sessions' DETACH events have gone out already).
  void Leave();

  // core::Cluster
  void Attached(const core::Session& s) override;
  void Detached(const core::Session& s) override;
  void PortsChanged(const core::Session& s) override;
  void Forward(const core::Account& account, const protocol::SharedLine& line, int64_t id) override;
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
  void Awake() override;

  const std::string& node_id() const { return node_; }
  // Other nodes heard from and not gone, for /metrics and tests.
  size_t peers() const { return nodes_.size(); }

 private:
  struct Node {
    std::string id;
    std::string incarnation;
    core::NodeSlot slot = 0;
    // SESSIONS chunks received so far of a list not yet complete.
    std::vector<std::pair<core::AccountId, core::RemoteSession>> sessions;
  };

  Event Make(Event::Kind kind) const;
  void Publish(const std::string& subject, const Event& e);
  void OnEvent(std::string_view payload);
  // The slot of the sender; a new incarnation of a known node replaces the
  // old one, whose sessions are gone.
  Node* Heard(const Event& e);
  // A DELIVER or FORWARD to this node's sessions: handed over (and a
  // FORWARD acknowledged with HANDED).
  void HandOver(const Event& e);
  void Gone(const std::string& id);
  // Tells node `id` (incarnation `incarnation`) that this node declared it gone.
  void TellGone(const std::string& id, const std::string& incarnation);
  // `fenced`: this node has just ended its sessions.
  void SayHello(bool fenced = false);
  // Says HELLO and tells this node's sessions to one node: one heard of
  // (in the store, or on the bus) before its own HELLO.
  void Introduce(const std::string& id);
  void TellSessions(const std::string& subject);
  void Tick();
  void Beat();
  // `sent`: when this beat left for the store.
  void Beaten(const store::Beats& beats, core::TimeMs sent);
  // Ends this node's sessions: the others may have declared it gone.
  void Fence(const std::string& why);
  // Fences this node once it has had neither the store nor the bus for a
  // TTL and a beat (see the header comment).
  void CheckCutOff(core::TimeMs now);
  // The nodes that have sessions of `account`.
  std::vector<std::string> NodesOf(const core::Account& account) const;
  // Sends `e` to each of those nodes (one encoding for all).
  void PublishToNodesOf(const core::Account& account, const Event& e);
  // A DELIVER or FORWARD of `line` (message `id`) to those nodes.
  void LinesToNodesOf(Event::Kind kind, const core::Account& account,
                      const protocol::SharedLine& line, int64_t id);

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
  bool beating_ = false;                     // a Beat is in flight
  core::TimeMs streak_since_ = 0;            // beating without a gap since (0: not)
  bool store_failing_ = false;               // the latest Beat failed (logged once)
  bool beaten_ = false;                      // a Beat of this incarnation has succeeded
  bool failed_since_beat_ = false;           // a Beat failed since the last success
  core::TimeMs previous_sent_ = 0;           // when the last successful Beat left
  core::TimeMs last_fence_ = -1;             // when Fence() last ran
  core::TimeMs beat_ok_ = 0;                 // when a Beat last succeeded (or Start)
  core::TimeMs bus_lost_ = 0;                // since when the bus is seen down (0: up)
  std::map<std::string, std::string> dead_;  // node id -> incarnation declared gone
  // Node id -> incarnation declared gone and not heard to have fenced since.
  std::map<std::string, std::string> unfenced_;
  std::map<std::string, core::TimeMs> introduced_;  // node id -> when Introduce()d
  std::map<std::string, core::TimeMs> greeted_;     // node id -> its latest HELLO
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
