#include "core/caucus.h"

#include <spdlog/spdlog.h>

#include "core/peer.h"
#include "protocol/names.h"
#include "store/await.h"

namespace caucus::core {

Caucus::Caucus(const Config& config, store::Store& store, PasswordHasher& hasher,
               const Clock& clock, Scheduler& scheduler, store::KeyVault& keys)
    : world_(config, store, hasher, clock, scheduler),
      feed_(store, [this](const store::Change& c,
                          std::function<void()> applied) { ApplyChange(c, std::move(applied)); }),
      accounts_(world_),
      messaging_(world_),
      board_(world_),
      polls_(world_, accounts_, keys),
      peers_(world_),
      retention_(world_) {
  world_.feed = &feed_;
}

store::Status Caucus::Load() {
  using store::Await;
  auto& s = world_.store;
  auto accounts =
      Await<std::vector<store::AccountRecord>>([&](auto done) { s.LoadAccounts(done); });
  if (!accounts.ok()) return accounts.status();
  for (const auto& a : *accounts) world_.directory.Upsert(a);

  auto blocks = Await<std::vector<store::Block>>([&](auto done) { s.LoadBlocks(done); });
  if (!blocks.ok()) return blocks.status();
  for (const auto& b : *blocks) {
    if (Account* a = world_.directory.Get(b.blocker)) a->blocked.push_back(b.blocked);
  }
  world_.directory.ForEach([](Account& a) { std::sort(a.blocked.begin(), a.blocked.end()); });

  auto lockouts =
      Await<std::vector<store::LockoutRecord>>([&](auto done) { s.LoadLockouts(done); });
  if (!lockouts.ok()) return lockouts.status();
  world_.lockout.Load(*lockouts);

  auto polls = Await<std::vector<store::PollRecord>>([&](auto done) { s.LoadPolls(done); });
  if (!polls.ok()) return polls.status();
  polls_.Load(std::move(*polls));

  auto last = Await<int64_t>([&](auto done) { s.LastMessageId(done); });
  if (!last.ok()) return last.status();
  messaging_.Start(*last);
  spdlog::info("loaded {} accounts, {} blocks, {} lockouts", accounts->size(), blocks->size(),
               lockouts->size());
  return store::Status::Ok();
}

namespace {

// The reply of a LOGIN or RESUME, then on success the stored messages.
// With several nodes, the answer waits until the others know the session
// is online (World::cluster->Sync).
template <class T>
Reply<T> ThenStored(World& world, Messaging& messaging, SessionRef s, Reply<T> answered,
                    std::function<void()> settled) {
  return [&world, &messaging, s = std::move(s), answered = std::move(answered),
          settled = std::move(settled)](Outcome<T> o) mutable {
    const bool ok = o.ok();
    auto go = [&messaging, s = std::move(s), answered = std::move(answered),
               settled = std::move(settled), o = std::move(o), ok]() mutable {
      answered(std::move(o));
      if (!ok) return;
      // The client may have gone while the other nodes were being synced.
      if (s->ended || s->account == nullptr) {
        if (settled) settled();
        return;
      }
      messaging.DeliverQueued(std::move(s), std::move(settled));
    };
    if (ok && world.cluster) return world.cluster->Sync(std::move(go));
    go();
  };
}

}  // namespace

void Caucus::Login(SessionRef s, std::string name, std::string password,
                   Reply<Accounts::LoggedIn> answered, std::function<void()> settled) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  auto then = ThenStored(world_, messaging_, s, std::move(answered), std::move(settled));
  accounts_.Login(std::move(s), std::move(name), std::move(password), std::move(then));
}

void Caucus::Resume(SessionRef s, std::string token, Reply<std::string> answered,
                    std::function<void()> settled) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  auto then = ThenStored(world_, messaging_, s, std::move(answered), std::move(settled));
  accounts_.Resume(std::move(s), std::move(token), std::move(then));
}

Caucus::~Caucus() {
  if (second_look_) world_.scheduler.Cancel(second_look_);
}

void Caucus::SetCluster(Cluster* cluster) {
  world_.cluster = cluster;
  if (cluster == nullptr) {
    world_.lockout.on_change = nullptr;
    return;
  }
  messaging_.UseIdBlocks();
  world_.lockout.on_change = [cluster](const store::LockoutRecord& r) {
    cluster->LockoutChanged(r);
  };
}

void Caucus::BusRestored() {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  feed_.CatchUp(nullptr);
  DeliverStoredToOnline();
  // A message another node stored for an account here while the two were
  // cut apart, and committed after the read above, is sent on by that node
  // once it hears this node's sessions again (Messaging::RemoteSessionHeard):
  // a bus message, which the moments around a reconnection can lose. The
  // store is the truth: read the queues once more a moment later (a message
  // handed over already is not handed over twice, Messaging::FirstHandOver).
  constexpr TimeMs kSecondLookMs = 1000;
  if (second_look_) world_.scheduler.Cancel(second_look_);
  second_look_ = world_.scheduler.At(world_.clock.Now() + kSecondLookMs, [this] {
    second_look_ = 0;
    DeliverStoredToOnline();
  });
}

void Caucus::DeliverStoredToOnline() {
  for (const Account* a : world_.presence.online()) {
    if (!a->sessions.empty()) messaging_.DeliverStoredTo(a->id);
  }
}

void Caucus::RemoteLockout(const store::LockoutRecord& record) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  world_.lockout.Apply(record);
}

void Caucus::RemoteAttached(AccountId account, const RemoteSession& session) {
  RemotePresence(account, {RemotePresenceEvent::kAttach, session});
}

void Caucus::RemoteDetached(AccountId account, NodeSlot node, uint64_t session) {
  RemotePresence(account, {RemotePresenceEvent::kDetach, RemoteSession{node, session, 0, 0}});
}

void Caucus::RemotePorts(AccountId account, NodeSlot node, uint64_t session, uint16_t p2p_tcp) {
  RemotePresence(account, {RemotePresenceEvent::kPorts, RemoteSession{node, session, 0, p2p_tcp}});
}

void Caucus::RemotePresence(AccountId account, const RemotePresenceEvent& e) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  if (auto it = awaiting_account_.find(account); it != awaiting_account_.end()) {
    it->second.push_back(e);  // after the events before it, once the account is read
    return;
  }
  if (Account* a = world_.directory.Get(account)) return ApplyPresence(*a, e);
  // An account this node has not heard of yet: made a moment ago elsewhere.
  // Its events wait, in order, for the change feed to bring it (a DETACH
  // applied before the ATTACH it follows would leave the session online
  // here for good). A DETACH or PORTS alone concerns nobody this node knows.
  if (e.kind != RemotePresenceEvent::kAttach) return;
  awaiting_account_[account].push_back(e);
  feed_.CatchUp([this, account] {
    auto it = awaiting_account_.find(account);
    if (it == awaiting_account_.end()) return;
    const std::vector<RemotePresenceEvent> events = std::move(it->second);
    awaiting_account_.erase(it);
    Account* a = world_.directory.Get(account);
    if (a == nullptr) return;
    for (const auto& ev : events) ApplyPresence(*a, ev);
  });
}

void Caucus::ApplyPresence(Account& a, const RemotePresenceEvent& e) {
  const RemoteSession& s = e.session;
  switch (e.kind) {
    case RemotePresenceEvent::kAttach:
      world_.presence.RemoteAttach(a, s);
      messaging_.RemoteSessionHeard(a.id);
      break;
    case RemotePresenceEvent::kDetach:
      world_.presence.RemoteDetach(a, s.node, s.session);
      break;
    case RemotePresenceEvent::kPorts:
      world_.presence.RemotePorts(a, s.node, s.session, s.p2p_tcp);
      break;
  }
}

void Caucus::ForgetAwaited(NodeSlot node) {
  for (auto& [account, events] : awaiting_account_) {
    std::erase_if(events, [node](const RemotePresenceEvent& e) { return e.session.node == node; });
  }
}

void Caucus::RemoteNodeGone(NodeSlot node) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  ForgetAwaited(node);
  world_.presence.NodeGone(node);
  peers_.NodeGone(node);
}

void Caucus::RemoteSessions(NodeSlot node,
                            const std::vector<std::pair<AccountId, RemoteSession>>& list) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  std::vector<uint64_t> kept;
  kept.reserve(list.size());
  for (const auto& [account, session] : list) kept.push_back(session.session);
  ForgetAwaited(node);  // the list replaces them too
  world_.presence.RemoteSnapshot(node, kept);
  for (const auto& [account, session] : list) RemoteAttached(account, session);
}

void Caucus::RemoteDeliver(AccountId account, const protocol::SharedLine& line, int64_t stored_id) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  messaging_.RemoteDeliver(account, line, stored_id);
}

bool Caucus::RemoteForward(AccountId account, const protocol::SharedLine& line, int64_t id) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  return messaging_.RemoteForward(account, line, id);
}

void Caucus::RemoteHandedOver(int64_t id) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  messaging_.RemoteHandedOver(id);
}

void Caucus::RemoteBroadcast(AccountId sender, const protocol::SharedLine& line) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  messaging_.RemoteBroadcast(sender, line);
}

void Caucus::RemoteKick(AccountId account, protocol::Bye reason) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  Account* a = world_.directory.Get(account);
  if (a == nullptr) return;
  const std::vector<Session*> local = a->sessions;  // End() detaches them
  for (Session* s : local) {
    if (s->peer) s->peer->End(reason);
  }
}

void Caucus::EndSession(Session& s, const std::string& why, bool revoke,
                        std::function<void()> revoked) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  if (s.ended) return;
  s.ended = true;
  peers_.SessionEnded(s);
  accounts_.SessionEnded(s, why, revoke, std::move(revoked));
  s.peer = nullptr;
}

void Caucus::Housekeeping() {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  constexpr TimeMs kDay = 86'400'000;
  world_.lockout.Purge(world_.clock.Now(), kDay);
  accounts_.Purge(world_.clock.Now());
}

void Caucus::ApplyChange(const store::Change& change, std::function<void()> applied) {
  CAUCUS_ASSERT_IN_LOOP(world_.loop_thread);
  int64_t key = 0;
  const bool numeric = protocol::ParseCount(change.key, &key);
  if (change.kind == "account" && numeric) {
    world_.store.LoadAccount(
        key, [this, applied = std::move(applied)](store::Result<store::AccountRecord> r) {
          if (r.ok()) world_.directory.Upsert(*r);
          applied();
        });
  } else if (change.kind == "blocks" && numeric) {
    // The blocks of one account (key): read again, all of them.
    world_.store.LoadBlocks(
        [this, key, applied = std::move(applied)](store::Result<std::vector<store::Block>> r) {
          Account* a = world_.directory.Get(key);
          if (r.ok() && a) {
            a->blocked.clear();
            for (const auto& b : *r) {
              if (b.blocker == key) a->blocked.push_back(b.blocked);
            }
            std::sort(a->blocked.begin(), a->blocked.end());
          }
          applied();
        });
  } else if (change.kind == "poll") {
    polls_.Reload(change.key, std::move(applied));
  } else {
    applied();
  }
}

}  // namespace caucus::core
