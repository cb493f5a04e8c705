#include "cluster/cluster_node.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/peer.h"
#include "core/secrets.h"

namespace caucus::cluster {

namespace {

constexpr core::TimeMs kBeatMs = 1000;
constexpr size_t kSessionsPerEvent = 1000;  // about 40 kB: far below NATS's 1 MB limit
const std::string kAll = "caucus.all";

std::string NodeSubject(const std::string& id) { return "caucus.node." + id; }

}  // namespace

ClusterNode::ClusterNode(bus::Bus& bus, core::Caucus& caucus, std::string node_id, int64_t ttl_ms)
    : bus_(bus),
      caucus_(caucus),
      w_(caucus.world()),
      node_(std::move(node_id)),
      incarnation_(core::NewShortId()),
      ttl_ms_(ttl_ms) {
  caucus_.SetCluster(this);
}

ClusterNode::~ClusterNode() {
  if (timer_) w_.scheduler.Cancel(timer_);
  for (auto& [token, p] : syncs_) {
    if (p.timer) w_.scheduler.Cancel(p.timer);
  }
  for (auto id : subscriptions_) bus_.Unsubscribe(id);
  caucus_.SetCluster(nullptr);
}

void ClusterNode::Start() {
  auto handler = [this](std::string_view, std::string_view payload) { OnEvent(payload); };
  subscriptions_.push_back(bus_.Subscribe(kAll, handler));
  subscriptions_.push_back(bus_.Subscribe(NodeSubject(node_), handler));
  bus_.OnReconnected([this] {
    // What was said meanwhile is lost: catch up from the store and ask the
    // others for their sessions again.
    caucus_.BusRestored();
    // Fenced since the bus went: the sessions the others may have dropped
    // have ended, and those since are in the list that follows.
    SayHello(/*fenced=*/bus_lost_ != 0 && last_fence_ >= bus_lost_);
    bus_lost_ = 0;
  });
  SayHello();
  last_tick_ = w_.clock.Now();
  beat_ok_ = last_tick_;
  Beat();
  timer_ = w_.scheduler.At(last_tick_ + kBeatMs, [this] { Tick(); });
  spdlog::info("cluster: node {} ({}), ttl {} ms", node_, incarnation_, ttl_ms_);
}

void ClusterNode::Leave() {
  if (timer_) w_.scheduler.Cancel(timer_);
  timer_ = 0;
  w_.store.Leave(node_, incarnation_, [](store::Result<store::Done>) {});
}

Event ClusterNode::Make(Event::Kind kind) const {
  Event e;
  e.kind = kind;
  e.node = node_;
  e.incarnation = incarnation_;
  return e;
}

void ClusterNode::Publish(const std::string& subject, const Event& e) {
  switch (e.kind) {
    case Event::Kind::kSessions:
    case Event::Kind::kHello:
    case Event::Kind::kGone:
    case Event::Kind::kSync:
    case Event::Kind::kAck:
      break;
    default:
      ++published_;
  }
  bus_.Publish(subject, Encode(e));
}

void ClusterNode::Sync(std::function<void()> done) {
  if (nodes_.empty()) return done();
  const int64_t token = next_sync_++;
  PendingSync& p = syncs_[token];
  for (const auto& [id, n] : nodes_) p.waiting.push_back(id);
  p.done = std::move(done);
  // A node that does not answer within a second (dying, or cut off) is
  // not waited for: its TTL deals with it.
  p.timer = w_.scheduler.At(w_.clock.Now() + 1000, [this, token] {
    auto it = syncs_.find(token);
    if (it == syncs_.end()) return;
    it->second.timer = 0;
    spdlog::debug("cluster: sync {} unanswered by {} node(s)", token, it->second.waiting.size());
    auto fn = std::move(it->second.done);
    syncs_.erase(it);
    fn();
  });
  Event e = Make(Event::Kind::kSync);
  e.number = token;
  Publish(kAll, e);
}

void ClusterNode::Synced(int64_t token, const std::string& node) {
  auto it = syncs_.find(token);
  if (it == syncs_.end()) return;
  auto& waiting = it->second.waiting;
  waiting.erase(std::remove(waiting.begin(), waiting.end(), node), waiting.end());
  if (!waiting.empty()) return;
  if (it->second.timer) w_.scheduler.Cancel(it->second.timer);
  auto fn = std::move(it->second.done);
  syncs_.erase(it);
  fn();
}

void ClusterNode::SayHello(bool fenced) {
  Event hello = Make(Event::Kind::kHello);
  hello.number = fenced ? 1 : 0;
  Publish(kAll, hello);
  TellSessions(kAll);
}

void ClusterNode::TellGone(const std::string& id, const std::string& incarnation) {
  Event gone = Make(Event::Kind::kGone);
  gone.lines = incarnation;
  Publish(NodeSubject(id), gone);
}

void ClusterNode::Introduce(const std::string& id) {
  Publish(NodeSubject(id), Make(Event::Kind::kHello));
  TellSessions(kAll);
}

void ClusterNode::Fence(const std::string& why) {
  spdlog::warn("cluster: {}: ending this node's sessions", why);
  std::vector<core::Session*> local;
  for (core::Account* a : w_.presence.online()) {
    for (core::Session* s : a->sessions) local.push_back(s);
  }
  for (core::Session* s : local) {
    if (s->peer) s->peer->End(protocol::Bye::kShutdown);
  }
  last_tick_ = w_.clock.Now();  // this pause is dealt with
  last_fence_ = last_tick_;
  SayHello(/*fenced=*/true);
}

void ClusterNode::Awake() {
  // Paused past the TTL (the beat timer is that late): the others have
  // dropped this node. Its sessions end before it serves them again.
  const core::TimeMs now = w_.clock.Now();
  if (last_tick_ == 0 || now - last_tick_ <= ttl_ms_) return;  // not started, or on time
  Fence("paused for " + std::to_string(now - last_tick_) + " ms, past the TTL");
}

void ClusterNode::Tick() {
  timer_ = 0;
  Awake();
  const core::TimeMs now = w_.clock.Now();
  last_tick_ = now;
  CheckCutOff(now);
  Beat();
  timer_ = w_.scheduler.At(now + kBeatMs, [this] { Tick(); });
}

void ClusterNode::CheckCutOff(core::TimeMs now) {
  if (bus_.connected()) {
    bus_lost_ = 0;
    return;
  }
  if (bus_lost_ == 0) bus_lost_ = now;
  // Neither since: the later of the bus's loss and the last good beat.
  const core::TimeMs since = std::max(bus_lost_, beat_ok_);
  if (now - since < ttl_ms_ + kBeatMs || last_fence_ >= since) return;
  Fence("no store and no bus for " + std::to_string(now - since) +
        " ms: the others may have declared this node gone");
}

void ClusterNode::Beat() {
  if (beating_) return;  // the store is slow: one beat at a time
  beating_ = true;
  const core::TimeMs sent = w_.clock.Now();
  w_.store.Beat(node_, incarnation_, [this, sent](store::Result<store::Beats> r) {
    beating_ = false;
    if (!r.ok()) {
      streak_since_ = 0;
      failed_since_beat_ = true;
      if (!std::exchange(store_failing_, true)) {
        spdlog::warn("cluster: no heartbeat in the store: {}", r.status().message());
      }
      return;
    }
    if (std::exchange(store_failing_, false))
      spdlog::info("cluster: heartbeats in the store again");
    beat_ok_ = w_.clock.Now();
    Beaten(*r, sent);
  });
}

void ClusterNode::Beaten(const store::Beats& beats, core::TimeMs sent) {
  const core::TimeMs now = w_.clock.Now();
  // No beat of this node reached the store for a TTL (or its row is gone)
  // while the store answered: the others, beating meanwhile, may have
  // declared this node gone. Its own timer may not show it: a beat can
  // wait in the store's queue, or the pause can end just short of a TTL
  // after the last tick while the last committed beat is older. Not after
  // failed beats (the store was away: nobody judged) nor when this node
  // fenced itself since the previous beat left (the pause was dealt with).
  const bool stale = beats.own_age_ms > ttl_ms_ || (beats.own_age_ms < 0 && beaten_);
  if (stale && !failed_since_beat_ && last_fence_ < previous_sent_) {
    Fence("no heartbeat of this node in the store for " + std::to_string(beats.own_age_ms) +
          " ms, past the TTL");
  }
  beaten_ = true;
  failed_since_beat_ = false;
  previous_sent_ = sent;
  // A streak of beats starts when this node's previous beat is recent. The
  // others are judged only once this node has beaten for a TTL itself: a
  // stale row right after the store was away (nobody could beat) is the
  // outage's, and every node gets a TTL from the store's return to beat.
  if (beats.own_age_ms < 0 || beats.own_age_ms > ttl_ms_) streak_since_ = 0;
  if (streak_since_ == 0) streak_since_ = now;
  if (now - streak_since_ < ttl_ms_) return;
  std::vector<std::string> gone;
  for (const auto& [id, n] : nodes_) {
    if (auto g = greeted_.find(id); g != greeted_.end() && now - g->second < ttl_ms_) continue;
    auto row = std::find_if(beats.others.begin(), beats.others.end(),
                            [&](const store::NodeBeat& b) { return b.node == id; });
    if (row == beats.others.end() || row->incarnation != n.incarnation || row->age_ms > ttl_ms_) {
      gone.push_back(id);
    }
  }
  for (const auto& id : gone) {
    spdlog::warn("cluster: node {} has no heartbeat within {} ms: gone", id, ttl_ms_);
    const std::string incarnation = nodes_[id].incarnation;
    dead_[id] = incarnation;
    unfenced_[id] = incarnation;
    // It may still be serving (cut off from the store alone, its beats
    // failing): its sessions, dropped here, must end there too.
    TellGone(id, incarnation);
    Gone(id);
  }
  for (const store::NodeBeat& b : beats.others) {
    auto dead = dead_.find(b.node);
    if (dead != dead_.end() && dead->second != b.incarnation) {
      dead_.erase(dead);
    } else if (dead != dead_.end() && b.age_ms <= ttl_ms_) {
      // Declared gone, and beating again in the same incarnation: it woke
      // and fenced itself before this node judged it (its HELLO came first,
      // its first beat later), or its beats were only late. Its events
      // count again, and it is asked for its sessions.
      spdlog::info("cluster: node {} beats again: asking for its sessions", b.node);
      dead_.erase(dead);
      if (auto u = unfenced_.find(b.node); u != unfenced_.end() && u->second == b.incarnation) {
        TellGone(b.node, b.incarnation);  // its store came back before it heard
      }
      introduced_[b.node] = now;
      Introduce(b.node);
      continue;
    }
    // A live node this one has not heard from on the bus: ask for its sessions.
    // (Once a TTL at most: its bus link may be what is broken.)
    if (b.age_ms > ttl_ms_ || nodes_.count(b.node) || dead_.count(b.node)) continue;
    core::TimeMs& last = introduced_[b.node];
    if (now - last < ttl_ms_) continue;
    last = now;
    Introduce(b.node);
  }
}

void ClusterNode::HandOver(const Event& e) {
  const auto line = protocol::SharedLine::Copy(e.lines);
  if (e.kind == Event::Kind::kDeliver) return caucus_.RemoteDeliver(e.account, line, e.number);
  if (caucus_.RemoteForward(e.account, line, e.number)) {
    Event handed = Make(Event::Kind::kHanded);
    handed.number = e.number;
    Publish(NodeSubject(e.node), handed);
  }
}

ClusterNode::Node* ClusterNode::Heard(const Event& e) {
  auto it = nodes_.find(e.node);
  if (it != nodes_.end() && it->second.incarnation != e.incarnation) {
    spdlog::info("cluster: node {} restarted", e.node);
    Gone(e.node);
    it = nodes_.end();
  }
  if (it == nodes_.end()) {
    Node n{e.node, e.incarnation, next_slot_++, {}};
    by_slot_[n.slot] = n.id;
    it = nodes_.emplace(e.node, std::move(n)).first;
    spdlog::info("cluster: node {} joined", e.node);
    if (e.kind != Event::Kind::kHello && e.kind != Event::Kind::kSessions) {
      // Heard before its HELLO (or this node missed it).
      Introduce(e.node);
    }
  }
  return &it->second;
}

void ClusterNode::Gone(const std::string& id) {
  auto it = nodes_.find(id);
  if (it == nodes_.end()) return;
  // Syncs do not wait for a node that is gone.
  std::vector<int64_t> tokens;
  for (const auto& [token, p] : syncs_) tokens.push_back(token);
  for (int64_t token : tokens) Synced(token, id);
  const core::NodeSlot slot = it->second.slot;
  by_slot_.erase(slot);
  nodes_.erase(it);
  caucus_.RemoteNodeGone(slot);
}

void ClusterNode::TellSessions(const std::string& subject) {
  std::vector<SessionEntry> list;
  for (core::Account* a : w_.presence.online()) {
    for (const core::Session* s : a->sessions) {
      list.push_back({a->id, s->id, s->login_ms, s->p2p_tcp});
    }
  }
  size_t from = 0;
  do {
    const size_t to = std::min(list.size(), from + kSessionsPerEvent);
    Event e = Make(Event::Kind::kSessions);
    e.number = to == list.size() ? 1 : 0;
    e.lines = EncodeSessions(
        {list.begin() + static_cast<ptrdiff_t>(from), list.begin() + static_cast<ptrdiff_t>(to)});
    Publish(subject, e);
    from = to;
  } while (from < list.size());
}

void ClusterNode::OnEvent(std::string_view payload) {
  auto e = Decode(payload);
  if (!e) {
    spdlog::warn("cluster: an event this node does not understand: {:.80}", payload);
    return;
  }
  Awake();  // before handing over anything the bus held while this node slept
  if (e->node == node_) {
    if (e->incarnation != incarnation_) {
      spdlog::error("cluster: another process calls itself node {}", node_);
    }
    return;  // our own, echoed by the broker
  }
  if (e->kind == Event::Kind::kGone) {
    if (e->lines != incarnation_) return;  // about a former self
    // The nodes judge each on its own beat: one fence for the judgments of
    // one round (a node that judged after hearing the fenced HELLO waits a
    // TTL first).
    if (last_fence_ >= 0 && w_.clock.Now() - last_fence_ < kBeatMs) return;
    return Fence("node " + e->node + " declared this node gone");
  }
  if (auto dead = dead_.find(e->node); dead != dead_.end() && dead->second == e->incarnation) {
    // A message it hands this node's sessions is stored and acknowledged
    // to its sender: handed over whatever that node's state.
    if (e->kind == Event::Kind::kDeliver || e->kind == Event::Kind::kForward) {
      return HandOver(*e);
    }
    // Declared gone: heard again only once it has fenced itself and says so.
    if (e->kind != Event::Kind::kHello) return;
    dead_.erase(dead);
  }
  // A node saying HELLO is given a TTL to beat before it is judged: a node
  // that woke and fenced itself says HELLO before its next beat commits.
  if (e->kind == Event::Kind::kHello) {
    greeted_[e->node] = w_.clock.Now();
    if (auto u = unfenced_.find(e->node); u != unfenced_.end()) {
      if (u->second != e->incarnation || e->number == 1) {
        unfenced_.erase(u);  // restarted, or its sessions have ended
      } else {
        // Back (on the bus, say) without having ended the sessions the
        // others dropped: it does now.
        TellGone(e->node, e->incarnation);
      }
    }
  }
  Node* from = Heard(*e);
  switch (e->kind) {
    case Event::Kind::kHello:
      // On the common subject, as its ATTACH and DETACH events: a receiver
      // hears each subject on a thread of the client's own, so a list on
      // another subject could be applied after a later event and undo it.
      TellSessions(kAll);
      break;
    case Event::Kind::kSessions: {
      auto list = DecodeSessions(e->lines);
      if (!list) {
        spdlog::warn("cluster: a session list this node does not understand from {}", e->node);
        from->sessions.clear();
        break;
      }
      for (const SessionEntry& s : *list) {
        from->sessions.emplace_back(s.account,
                                    core::RemoteSession{from->slot, s.session, s.login_ms,
                                                        static_cast<uint16_t>(s.p2p_tcp)});
      }
      if (e->number == 1) {
        const auto complete = std::move(from->sessions);
        from->sessions.clear();
        caucus_.RemoteSessions(from->slot, complete);
      }
      break;
    }
    case Event::Kind::kAttach:
      caucus_.RemoteAttached(e->account, core::RemoteSession{from->slot, e->session, e->login_ms,
                                                             static_cast<uint16_t>(e->number)});
      break;
    case Event::Kind::kDetach:
      caucus_.RemoteDetached(e->account, from->slot, e->session);
      break;
    case Event::Kind::kPorts:
      caucus_.RemotePorts(e->account, from->slot, e->session, static_cast<uint16_t>(e->number));
      break;
    case Event::Kind::kChanged:
      hinted_ = true;
      caucus_.feed().CatchUp(nullptr);
      break;
    case Event::Kind::kSync: {
      // Everything the asking node said before is applied (the bus keeps a
      // publisher's order); a change it hinted at is read before the answer.
      Event ack = Make(Event::Kind::kAck);
      ack.number = e->number;
      const std::string to = NodeSubject(e->node);
      if (!std::exchange(hinted_, false)) {
        Publish(to, ack);
        break;
      }
      caucus_.feed().CatchUp([this, to, ack] { Publish(to, ack); });
      break;
    }
    case Event::Kind::kAck:
      Synced(e->number, e->node);
      break;
    case Event::Kind::kDeliver:
    case Event::Kind::kForward:
      HandOver(*e);
      break;
    case Event::Kind::kHanded:
      caucus_.RemoteHandedOver(e->number);
      break;
    case Event::Kind::kBroadcast:
      caucus_.RemoteBroadcast(e->account, protocol::SharedLine::Copy(e->lines));
      break;
    case Event::Kind::kInvite:
    case Event::Kind::kAnswer: {
      // "<invite-id> <line>"
      const size_t space = e->lines.find(' ');
      if (space == std::string::npos) break;
      const std::string id = e->lines.substr(0, space);
      const auto line = protocol::SharedLine::Copy(std::string_view(e->lines).substr(space + 1));
      if (e->kind == Event::Kind::kInvite) {
        caucus_.RemoteInvite(from->slot, e->account, id, line);
      } else {
        caucus_.RemoteAnswer(id, line);
      }
      break;
    }
    case Event::Kind::kUninvite:
      caucus_.RemoteUninvite(e->lines);
      break;
    case Event::Kind::kLockout:
      caucus_.RemoteLockout(store::LockoutRecord{e->account, e->lines, static_cast<int>(e->number),
                                                 e->until_ms, e->last_ms});
      break;
    case Event::Kind::kKick:
      if (e->number >= 0 && e->number <= static_cast<int64_t>(protocol::Bye::kRateLimited)) {
        caucus_.RemoteKick(e->account, static_cast<protocol::Bye>(e->number));
      }
      break;
    case Event::Kind::kGone:
      break;  // dealt with above
  }
}

std::vector<std::string> ClusterNode::NodesOf(const core::Account& account) const {
  std::vector<std::string> out;
  for (const core::RemoteSession& r : account.remote) {
    auto it = by_slot_.find(r.node);
    if (it == by_slot_.end()) continue;
    if (std::find(out.begin(), out.end(), it->second) == out.end()) out.push_back(it->second);
  }
  return out;
}

void ClusterNode::PublishToNodesOf(const core::Account& account, const Event& e) {
  const std::string text = Encode(e);
  for (const auto& node : NodesOf(account)) bus_.Publish(NodeSubject(node), text);
}

void ClusterNode::Attached(const core::Session& s) {
  Event e = Make(Event::Kind::kAttach);
  e.account = s.account->id;
  e.session = s.id;
  e.login_ms = s.login_ms;
  e.number = s.p2p_tcp;
  Publish(kAll, e);
}

void ClusterNode::Detached(const core::Session& s) {
  Event e = Make(Event::Kind::kDetach);
  e.account = s.account->id;
  e.session = s.id;
  Publish(kAll, e);
}

void ClusterNode::PortsChanged(const core::Session& s) {
  Event e = Make(Event::Kind::kPorts);
  e.account = s.account->id;
  e.session = s.id;
  e.number = s.p2p_tcp;
  Publish(kAll, e);
}

void ClusterNode::DeliverTo(const core::Account& account, const protocol::SharedLine& line,
                            int64_t stored_id) {
  LinesToNodesOf(Event::Kind::kDeliver, account, line, stored_id);
}

void ClusterNode::Forward(const core::Account& account, const protocol::SharedLine& line,
                          int64_t id) {
  LinesToNodesOf(Event::Kind::kForward, account, line, id);
}

void ClusterNode::LinesToNodesOf(Event::Kind kind, const core::Account& account,
                                 const protocol::SharedLine& line, int64_t id) {
  Event e = Make(kind);
  e.account = account.id;
  e.number = id;
  e.lines = std::string(line.view());
  PublishToNodesOf(account, e);
}

void ClusterNode::Broadcast(core::AccountId sender, const protocol::SharedLine& line) {
  Event e = Make(Event::Kind::kBroadcast);
  e.account = sender;
  e.lines = std::string(line.view());
  Publish(kAll, e);
}

void ClusterNode::Kick(const core::Account& account, protocol::Bye reason) {
  Event e = Make(Event::Kind::kKick);
  e.account = account.id;
  e.number = static_cast<int64_t>(reason);
  PublishToNodesOf(account, e);
}

void ClusterNode::Changed() { Publish(kAll, Make(Event::Kind::kChanged)); }

void ClusterNode::Invite(const core::Account& invitee, core::AccountId inviter,
                         const std::string& id, const std::string& invited) {
  Event e = Make(Event::Kind::kInvite);
  e.account = invitee.id;
  e.number = inviter;
  e.lines = id + " " + invited;
  PublishToNodesOf(invitee, e);
}

void ClusterNode::Answer(core::NodeSlot inviter_node, const std::string& id,
                         const std::string& answer) {
  auto it = by_slot_.find(inviter_node);
  if (it == by_slot_.end()) return;  // that node is gone, and its invitation with it
  Event e = Make(Event::Kind::kAnswer);
  e.lines = id + " " + answer;
  Publish(NodeSubject(it->second), e);
}

void ClusterNode::Uninvite(const core::Account& invitee, const std::string& id) {
  Event e = Make(Event::Kind::kUninvite);
  e.account = invitee.id;
  e.lines = id;
  PublishToNodesOf(invitee, e);
}

void ClusterNode::LockoutChanged(const store::LockoutRecord& record) {
  Event e = Make(Event::Kind::kLockout);
  e.account = record.account;
  e.number = record.failures;
  e.until_ms = record.locked_until_ms;
  e.last_ms = record.last_failure_ms;
  e.lines = record.address;
  Publish(kAll, e);
}

}  // namespace caucus::cluster
