// TicketBook: the one-time tickets a client accepts from peers. The server
// gives both sides of an accepted invitation the same ticket (PROTOCOL.md,
// "Peer to peer"); the accepting client admits one TCP connection or one
// UDP transfer that presents it, once, and nothing else. A ticket nobody
// presented expires; a ticket used or expired is refused ever after.
//
// Thread-safety: none.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "p2p/outbox.h"

namespace caucus::p2p {

template <class Offer>
class TicketBook {
 public:
  // How long an accepted invitation waits for the peer.
  static constexpr Micros kLifetime = 60'000'000;

  void Expect(const std::string& ticket, Offer offer, Micros now) {
    if (spent_.count(ticket)) return;
    waiting_[ticket] = Entry{std::move(offer), now + kLifetime};
  }

  // The offer behind `ticket`, which is spent from now on; nullopt when the
  // ticket is unknown, spent or expired.
  std::optional<Offer> Redeem(const std::string& ticket, Micros now) {
    auto it = waiting_.find(ticket);
    if (it == waiting_.end()) return std::nullopt;
    std::optional<Offer> offer;
    if (now < it->second.expires) offer = std::move(it->second.offer);
    waiting_.erase(it);
    spent_.insert(ticket);
    return offer;
  }

  // Forgets tickets whose time is up; returns their offers.
  template <class F>
  void Expire(Micros now, F&& on_expired) {
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (now < it->second.expires) {
        ++it;
        continue;
      }
      spent_.insert(it->first);
      on_expired(it->second.offer);
      it = waiting_.erase(it);
    }
  }

  bool Known(const std::string& ticket) const { return waiting_.count(ticket) != 0; }
  size_t waiting() const { return waiting_.size(); }

 private:
  struct Entry {
    Offer offer;
    Micros expires;
  };
  std::map<std::string, Entry> waiting_;
  std::set<std::string> spent_;
};

}  // namespace caucus::p2p
