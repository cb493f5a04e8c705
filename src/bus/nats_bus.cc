#include "bus/nats_bus.h"

#include <nats/nats.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <chrono>

#include "bus/frames.h"
#include "bus/nats_loop.h"

namespace caucus::bus {

NatsBus::NatsBus(boost::asio::io_context& io)
    : state_(std::make_shared<Shared>(io)), spent_timer_(io) {
  state_->bus = this;
  loop_ = std::make_shared<NatsLoop>(io, [shared = state_] { Drain(shared); });
}

std::unique_ptr<NatsBus> NatsBus::Connect(const std::string& url, boost::asio::io_context& io,
                                          std::string* error) {
  if (url.rfind("nats://", 0) != 0) {
    *error = "--bus " + url + ": expected nats://host:port";
    return nullptr;
  }
  std::unique_ptr<NatsBus> bus(new NatsBus(io));
  // The connection's callbacks run on the client's thread and may come
  // after the bus is gone: they hold the shared state until the last of
  // them (closed) lets it go.
  auto* keep = new std::shared_ptr<Shared>(bus->state_);
  Shared* shared = keep->get();
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  if (s == NATS_OK) s = natsOptions_SetURL(opts, url.c_str());
  if (s == NATS_OK && !bus->loop_->Install(opts)) s = NATS_ERR;
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
  loop_->FlushNow(conn_, std::chrono::seconds(1));
  loop_->Close();
  state_->bus = nullptr;
  if (conn_) {
    natsConnection_Close(conn_);
    // The client calls its closed callback later, on a thread of its own;
    // waiting for it means nothing of ours is left with the client when
    // the bus is gone (a process ending first leaked the callbacks' state).
    // Past the wait, what the client still holds stays allocated rather
    // than freed under it.
    std::unique_lock lock(state_->mu);
    state_->closed_cv.wait_for(lock, std::chrono::seconds(5), [&] { return state_->closed; });
  }
  FreeSpent();
  // Closing joined the client's threads: the handles can go.
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
  boost::asio::post(shared->io, [shared = shared->shared_from_this()] {
    if (shared->bus && shared->bus->reconnected_) shared->bus->reconnected_();
  });
}

void NatsBus::Drain(const std::shared_ptr<Shared>& shared) {
  NatsBus* bus = shared->bus;
  if (bus == nullptr) return;
  uint64_t taken = 0;
  // A handler may subscribe (the map grows) but never removes a handle.
  for (auto it = bus->subs_.begin(); it != bus->subs_.end(); ++it) {
    const SubscriptionId id = it->first;
    natsSubscription* sub = it->second;
    int pending = 0, bytes = 0;
    if (natsSubscription_GetPending(sub, &pending, &bytes) != NATS_OK) continue;
    for (; pending > 0; --pending) {
      natsMsg* msg = nullptr;
      if (natsSubscription_NextMsg(&msg, sub, 0) != NATS_OK) break;
      ++taken;
      if (taken == 1) ++bus->stats_.hand_overs;
      ++bus->stats_.messages_received;
      const std::string_view data(natsMsg_GetData(msg),
                                  static_cast<size_t>(natsMsg_GetDataLength(msg)));
      const std::string_view subject(natsMsg_GetSubject(msg));
      const bool whole = ForEachFrame(data, [&](std::string_view payload) {
        // A handler may destroy the bus or unsubscribe: look both up each time.
        if (shared->bus == nullptr) return;
        ++bus->stats_.payloads_received;
        if (auto h = bus->handlers_.find(id); h != bus->handlers_.end()) {
          h->second(subject, payload);
        }
      });
      if (shared->bus && !whole) {
        spdlog::warn("bus: a malformed message on {} (dropped the rest)", subject);
      }
      if (shared->bus == nullptr) {
        natsMsg_Destroy(msg);  // the bus and its list of spent messages are gone
        return;
      }
      bus->Spent(msg);
    }
  }
}

void NatsBus::Spent(natsMsg* msg) {
  spent_.push_back(msg);
  spent_bytes_ += static_cast<size_t>(natsMsg_GetDataLength(msg));
  if (spent_bytes_ >= kSpentBytes) return FreeSpent();
  if (spent_timer_armed_) return;
  spent_timer_armed_ = true;
  spent_timer_.expires_after(kSpentLinger);
  spent_timer_.async_wait([shared = state_](const boost::system::error_code& ec) {
    if (ec || shared->bus == nullptr) return;
    shared->bus->spent_timer_armed_ = false;
    shared->bus->FreeSpent();
  });
}

void NatsBus::FreeSpent() {
  for (natsMsg* msg : spent_) natsMsg_Destroy(msg);
  spent_.clear();
  spent_bytes_ = 0;
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
  boost::asio::post(state_->io, [shared = state_] {
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
  // Synchronous: the client queues the subscription's messages as it parses
  // a read, and Drain takes them on the loop right after (no delivery thread).
  natsSubscription* nats = nullptr;
  const natsStatus s = natsConnection_SubscribeSync(&nats, conn_, subj.c_str());
  if (s == NATS_OK) {
    // The client's pending limits never bite: each read is drained at once.
    subs_[id] = nats;
  }
  if (s != NATS_OK) spdlog::error("bus: subscribe {}: {}", subj, natsStatus_GetText(s));
  return id;
}

void NatsBus::Unsubscribe(SubscriptionId id) {
  handlers_.erase(id);
  if (auto it = subs_.find(id); it != subs_.end()) {
    // The handle stays until the connection is closed (Drain skips it: its
    // queue is emptied and no more comes). With the client's own threads,
    // destroying it at once freed it under a message being read (libnats
    // 3.4, an abort in natsConn_processMsg); kept so for good measure.
    natsSubscription_Unsubscribe(it->second);
  }
}

}  // namespace caucus::bus
