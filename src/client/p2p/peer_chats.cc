// PeerAgent::Loop: private chats over TCP (docs/protocol.md, "Private chat").
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client/p2p/peer_loop.h"

namespace caucus::client {

void PeerAgent::Loop::AcceptChats() {
  while (true) {
    Address a;
    a.length = sizeof a.storage;
    const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&a.storage), &a.length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    Chat c;
    c.fd = fd;
    c.inbound = true;
    c.address = a;
    c.reader = p2p::ChatReader(true);
    c.since = NowMicros();
    chats_.emplace(fd, std::move(c));
  }
}

void PeerAgent::Loop::CloseChat(Chat& c, const std::string& why, bool tell) {
  if (c.closed) return;
  c.closed = true;
  if (tell && !c.peer.empty()) {
    Notify({"chat_closed",
            "private chat with " + c.peer + " ended: " + why,
            {{"peer", c.peer}, {"reason", why}},
            false});
  }
}

void PeerAgent::Loop::OnChatHello(Chat& c, Micros now) {
  auto offer = tickets_.Redeem(c.ticket, now);
  if (!offer || !std::holds_alternative<ChatOffer>(*offer)) {
    Notify({"refused",
            "refused a private chat connection from " + c.address.Text() + ": no valid ticket",
            {{"transport", "tcp"}, {"address", c.address.Text()}},
            true});
    c.closed = true;
    return;
  }
  c.peer = std::get<ChatOffer>(*offer).peer;
  for (auto& [fd, other] : chats_) {
    if (&other != &c && other.peer == c.peer) CloseChat(other, "replaced by a new one", true);
  }
  Notify({"chat_open",
          "private chat with " + c.peer + " open (p " + c.peer + " TEXT to write, endtalk " +
              c.peer + " to end it)",
          {{"peer", c.peer}},
          false});
}

void PeerAgent::Loop::RefuseChat(Chat& c, const std::string& why) {
  Notify({"refused",
          "refused a private chat connection from " + c.address.Text() + ": " + why,
          {{"transport", "tcp"}, {"address", c.address.Text()}},
          true});
  c.closed = true;
}

void PeerAgent::Loop::DrainChat(Chat& c, Micros now) {
  while (!c.closed) {
    if (c.inbound && c.peer.empty()) {
      if (c.ticket.empty()) {
        auto item = c.reader.Next();
        if (item.kind == p2p::ChatReader::Kind::kNone) break;
        if (item.kind != p2p::ChatReader::Kind::kHello) return RefuseChat(c, "no valid ticket");
        c.ticket = item.text;
      }
      // An ACCEPT on its way may be about to announce this ticket.
      if (!tickets_.Known(c.ticket) && accepts_pending.load() > 0) break;
      OnChatHello(c, now);
      continue;
    }
    auto item = c.reader.Next();
    if (item.kind == p2p::ChatReader::Kind::kNone) break;
    if (item.kind != p2p::ChatReader::Kind::kMessage) {
      return CloseChat(c, c.peer + " sent something that is not chat text", true);
    }
    Notify({"private",
            "[private] " + c.peer + ": " + item.text,
            {{"from", c.peer}, {"message", item.text}},
            false});
  }
  if (!c.closed && c.inbound && c.peer.empty() && now - c.since >= kHelloWait) {
    RefuseChat(c, "no valid ticket in time");
  }
}

void PeerAgent::Loop::ServiceChat(Chat& c, short revents, Micros now) {
  if (c.closed) return;
  if (c.connecting && (revents & (POLLOUT | POLLERR | POLLHUP))) {
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      Notify({"chat_failed",
              "could not reach " + c.peer + " for a private chat: " + std::strerror(err),
              {{"peer", c.peer}},
              true});
      c.closed = true;
      return;
    }
    c.connecting = false;
    Notify({"chat_open",
            "private chat with " + c.peer + " open (p " + c.peer + " TEXT to write, endtalk " +
                c.peer + " to end it)",
            {{"peer", c.peer}},
            false});
  }
  if (c.connecting) return;
  if (revents & (POLLIN | POLLHUP | POLLERR)) {
    char buf[16384];
    const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      DrainChat(c, now);  // what came before the end
      if (c.peer.empty()) {
        c.closed = true;
      } else {
        CloseChat(c, c.peer + " left", true);
      }
      return;
    }
    if (n > 0) c.reader.Append(std::string_view(buf, static_cast<size_t>(n)));
  }
  DrainChat(c, now);
  if (!c.closed && !c.out.empty() && (revents & POLLOUT)) {
    const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n > 0) c.out.erase(0, static_cast<size_t>(n));
    if (n < 0 && errno != EAGAIN && errno != EINTR) CloseChat(c, c.peer + " went away", true);
  }
}

void PeerAgent::Loop::OpenChat(const std::string& peer, const std::string& host, uint16_t port,
                               const std::string& ticket) {
  Address to;
  if (!Resolve(host, port, 0, SOCK_STREAM, &to)) {
    Notify({"chat_failed", "could not reach " + peer + " at " + host, {{"peer", peer}}, true});
    return;
  }
  const int fd = ::socket(to.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0 || (::connect(fd, to.get(), to.length) != 0 && errno != EINPROGRESS)) {
    Notify({"chat_failed",
            "could not reach " + peer + " for a private chat: " + std::strerror(errno),
            {{"peer", peer}},
            true});
    if (fd >= 0) ::close(fd);
    return;
  }
  for (auto& [other_fd, other] : chats_) {
    if (other.peer == peer) CloseChat(other, "replaced by a new one", true);
  }
  Chat c;
  c.fd = fd;
  c.connecting = true;
  c.peer = peer;
  c.address = to;
  c.out = p2p::ChatHelloLine(ticket);
  c.since = NowMicros();
  chats_.emplace(fd, std::move(c));
}

std::string PeerAgent::Loop::Say(const std::string& peer, const std::string& text) {
  for (auto& [fd, c] : chats_) {
    if (c.peer != peer || c.closed || (c.inbound && c.ticket.empty())) continue;
    const auto line = p2p::ChatMessageLine(text);
    if (!line) return "that cannot be sent (too long, or control characters)";
    c.out += *line;
    if (!c.connecting) {
      const ssize_t n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n > 0) c.out.erase(0, static_cast<size_t>(n));
    }
    return {};
  }
  return "no private chat with " + peer + " (talk " + peer + " asks for one)";
}

std::string PeerAgent::Loop::EndChat(const std::string& peer) {
  for (auto& [fd, c] : chats_) {
    if (c.peer != peer || c.closed) continue;
    if (!c.out.empty()) ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    CloseChat(c, "you ended it", false);
    return {};
  }
  return "no private chat with " + peer;
}

}  // namespace caucus::client
