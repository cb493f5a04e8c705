#include "bus/nats_bus.h"

#include <nats/nats.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "bus/frames.h"

namespace caucus::bus {

NatsBus::NatsBus(Executor executor) : state_(std::make_shared<Shared>()) {
  state_->executor = std::move(executor);
  state_->bus = this;
}

std::unique_ptr<NatsBus> NatsBus::Connect(const std::string& url, Executor executor,
                                          std::string* error) {
  if (url.rfind("nats://", 0) != 0) {
    *error = "--bus " + url + ": expected nats://host:port";
    return nullptr;
  }
  std::unique_ptr<NatsBus> bus(new NatsBus(std::move(executor)));
  // The connection's callbacks run on the client's thread and may come
  // after the bus is gone: they hold the shared state until the last of
  // them (closed) lets it go.
  auto* keep = new std::shared_ptr<Shared>(bus->state_);
  Shared* shared = keep->get();
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  if (s == NATS_OK) s = natsOptions_SetURL(opts, url.c_str());
  if (s == NATS_OK) s = natsOptions_SetAllowReconnect(opts, true);
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);  // for ever
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 250);
  if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(opts, OnDisconnected, shared);
  if (s == NATS_OK) s = natsOptions_SetReconnectedCB(opts, OnReconnectedCb, shared);
  if (s == NATS_OK) s = natsOptions_SetClosedCB(opts, OnClosed, keep);
  // A node starts while the broker is down and connects when it comes up.
  if (s == NATS_OK) {
    s = natsOptions_SetRetryOnFailedConnect(opts, true, OnConnected, shared);
  }
  if (s == NATS_OK) {
    s = natsConnection_Connect(&bus->conn_, opts);
    if (s == NATS_OK) bus->state_->connected = true;
    if (s == NATS_NOT_YET_CONNECTED) s = NATS_OK;
  }
  natsOptions_Destroy(opts);
  if (bus->conn_ == nullptr) delete keep;  // no connection, no callbacks
  if (s != NATS_OK) {
    *error = std::string("--bus ") + url + ": " + natsStatus_GetText(s);
    return nullptr;
  }
  return bus;
}

NatsBus::~NatsBus() {
  FlushOutbox();  // what this turn said (a node leaving says DETACH last)
  state_->bus = nullptr;
  if (conn_) {
    natsConnection_Close(conn_);
    // The client calls its closed callback, and each subscription's
    // completion, later on threads of its own; waiting for them means
    // nothing of ours is left with the client when the bus is gone (a
    // process ending first leaked the callbacks' state, and a message
    // handler still running read a freed closure). Past the wait, what the
    // client still holds stays allocated rather than freed under it.
    std::unique_lock lock(state_->mu);
    state_->closed_cv.wait_for(lock, std::chrono::seconds(5),
                               [&] { return state_->closed && state_->live_subs == 0; });
  }
  // Closing joined the reader thread: the handles can go.
  for (const auto& [id, nats] : subs_) natsSubscription_Destroy(nats);
  if (conn_) natsConnection_Destroy(conn_);
}

void NatsBus::OnConnected(natsConnection*, void* closure) {
  static_cast<Shared*>(closure)->connected = true;
  spdlog::info("bus: connected");
}

void NatsBus::OnClosed(natsConnection*, void* closure) {
  auto* keep = static_cast<std::shared_ptr<Shared>*>(closure);
  const std::shared_ptr<Shared> shared = std::move(*keep);
  delete keep;
  std::lock_guard lock(shared->mu);
  shared->closed = true;
  shared->closed_cv.notify_all();
}

void NatsBus::OnDisconnected(natsConnection*, void* closure) {
  static_cast<Shared*>(closure)->connected = false;
  spdlog::warn("bus: disconnected; retrying");
}

void NatsBus::OnReconnectedCb(natsConnection*, void* closure) {
  auto* shared = static_cast<Shared*>(closure);
  shared->connected = true;
  spdlog::info("bus: reconnected");
  shared->executor([shared = shared->shared_from_this()] {
    if (shared->bus && shared->bus->reconnected_) shared->bus->reconnected_();
  });
}

void NatsBus::OnSubComplete(void* closure) {
  auto* sub = static_cast<Sub*>(closure);
  const std::shared_ptr<Shared> shared = std::move(sub->shared);
  delete sub;
  std::lock_guard lock(shared->mu);
  --shared->live_subs;
  shared->closed_cv.notify_all();
}

void NatsBus::OnMessage(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  auto* sub = static_cast<Sub*>(closure);
  std::string subject = natsMsg_GetSubject(msg);
  std::string payload(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg)));
  natsMsg_Destroy(msg);
  const auto& shared = sub->shared;
  {
    std::lock_guard lock(shared->mu);
    shared->inbox.push_back(Incoming{sub->id, std::move(subject), std::move(payload)});
    if (shared->drain_posted) return;
    shared->drain_posted = true;
  }
  shared->executor([shared] { Drain(shared); });
}

void NatsBus::Drain(const std::shared_ptr<Shared>& shared) {
  std::vector<Incoming> batch;
  {
    std::lock_guard lock(shared->mu);
    batch.swap(shared->inbox);
    shared->drain_posted = false;
  }
  if (shared->bus == nullptr) return;
  Stats& stats = shared->bus->stats_;
  ++stats.hand_overs;
  stats.messages_received += batch.size();
  for (const auto& m : batch) {
    const bool whole = ForEachFrame(m.payload, [&](std::string_view payload) {
      // A handler may destroy the bus or unsubscribe: look both up each time.
      if (shared->bus == nullptr) return;
      ++shared->bus->stats_.payloads_received;
      auto& handlers = shared->bus->handlers_;
      if (auto it = handlers.find(m.id); it != handlers.end()) it->second(m.subject, payload);
    });
    if (shared->bus == nullptr) return;
    if (!whole) spdlog::warn("bus: a malformed message on {} (dropped the rest)", m.subject);
  }
}

void NatsBus::Publish(std::string_view subject, std::string_view payload) {
  if (outbox_.empty() || outbox_.back().subject != subject ||
      outbox_.back().frames.size() + payload.size() > kMessageBytes) {
    outbox_.push_back(Outgoing{std::string(subject), {}});
  }
  AppendFrame(&outbox_.back().frames, payload);
  ++stats_.payloads_sent;
  if (flush_posted_) return;
  flush_posted_ = true;
  state_->executor([shared = state_] {
    if (shared->bus) shared->bus->FlushOutbox();
  });
}

void NatsBus::FlushOutbox() {
  flush_posted_ = false;
  stats_.messages_sent += outbox_.size();
  for (const auto& m : outbox_) {
    const natsStatus s = natsConnection_Publish(conn_, m.subject.c_str(), m.frames.data(),
                                                static_cast<int>(m.frames.size()));
    if (s != NATS_OK) spdlog::debug("bus: publish on {}: {}", m.subject, natsStatus_GetText(s));
  }
  outbox_.clear();
}

Bus::SubscriptionId NatsBus::Subscribe(std::string_view subject, Handler handler) {
  const SubscriptionId id = next_++;
  handlers_[id] = std::move(handler);
  const std::string subj(subject);
  auto* sub = new Sub{state_, id};
  natsSubscription* nats = nullptr;
  natsStatus s = natsConnection_Subscribe(&nats, conn_, subj.c_str(), OnMessage, sub);
  if (s == NATS_OK) {
    // Only this thread closes a subscription (Unsubscribe, the destructor),
    // so it is still open here and its completion is yet to come.
    s = natsSubscription_SetOnCompleteCB(nats, OnSubComplete, sub);
    if (s == NATS_OK) {
      std::lock_guard lock(state_->mu);
      ++state_->live_subs;
    }  // else the client keeps the closure for good: a leak, never a dangling one
    subs_[id] = nats;
  } else {
    delete sub;
  }
  if (s != NATS_OK) spdlog::error("bus: subscribe {}: {}", subj, natsStatus_GetText(s));
  return id;
}

void NatsBus::Unsubscribe(SubscriptionId id) {
  handlers_.erase(id);
  if (auto it = subs_.find(id); it != subs_.end()) {
    // The handle stays until the connection is closed: the client's reader
    // thread looks a subscription up without holding a reference to it, so
    // destroying it now could free it under a message being read
    // (libnats 3.4, seen as an abort in natsConn_processMsg).
    natsSubscription_Unsubscribe(it->second);
  }
}

}  // namespace caucus::bus
