#include "client/p2p/peer_agent.h"

#include <poll.h>

#include <cerrno>
#include <cstring>

#include "client/p2p/peer_loop.h"

namespace caucus::client {

void PeerAgent::Loop::Main() {
  while (!stopping_) {
    std::vector<pollfd> fds = {
        {wake_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}, {udp_fd_, POLLIN, 0}};
    std::vector<int> chat_fds;
    for (auto& [fd, c] : chats_) {
      short events = POLLIN;
      if (c.connecting || !c.out.empty()) events |= POLLOUT;
      fds.push_back({fd, events, 0});
      chat_fds.push_back(fd);
    }
    Micros now = NowMicros();
    const Micros next = NextWakeup(now);
    int timeout = -1;
    if (next != p2p::kNever) {
      timeout =
          next <= now ? 0 : static_cast<int>(std::min<Micros>((next - now + 999) / 1000, 60'000));
    }
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) break;
    now = NowMicros();
    if (fds[0].revents & POLLIN) {
      uint64_t v;
      [[maybe_unused]] ssize_t n = ::read(wake_fd_, &v, sizeof v);
    }
    RunCommands();
    if (stopping_) break;
    if (fds[1].revents & POLLIN) AcceptChats();
    for (size_t i = 0; i < chat_fds.size(); ++i) {
      auto it = chats_.find(chat_fds[i]);
      if (it != chats_.end()) ServiceChat(it->second, fds[3 + i].revents, now);
    }
    for (auto& [fd, c] : chats_) {
      if (c.inbound && c.peer.empty()) DrainChat(c, now);  // held for an ACCEPT, or late
    }
    for (auto it = chats_.begin(); it != chats_.end();) {
      if (it->second.closed) {
        ::close(it->first);
        it = chats_.erase(it);
      } else {
        ++it;
      }
    }
    if (fds[2].revents & POLLIN) ReceiveDatagrams(now);
    ServiceTransfers(NowMicros());
    tickets_.Expire(now, [](const Expectation&) {});
  }
  Shutdown();
}

void PeerAgent::Loop::RunCommands() {
  std::deque<std::function<void()>> todo;
  {
    std::lock_guard lock(mu_);
    todo.swap(commands_);
  }
  for (auto& f : todo) f();
}

Micros PeerAgent::Loop::NextWakeup(Micros now) const {
  Micros next = p2p::kNever;
  for (const auto& [id, o] : outgoing_) {
    next = std::min(next, o.sender->NextWakeup());
    if (!o.sender->finished()) next = std::min(next, o.last_note + kProgressEvery);
  }
  for (const auto& [key, in] : incoming_) {
    next = std::min(next, in.receiver->NextWakeup());
    if (!in.receiver->finished()) next = std::min(next, in.last_note + kProgressEvery);
  }
  for (const auto& [fd, c] : chats_) {
    if (c.inbound && c.peer.empty()) next = std::min(next, c.since + kHelloWait);
  }
  if (tickets_.waiting() > 0) next = std::min(next, now + 1'000'000);
  return next;
}

// ---- PeerAgent ----

std::unique_ptr<PeerAgent> PeerAgent::Start(const Options& options, std::string* error) {
  int tcp_family = 0, udp_family = 0;
  const int tcp = BindAny(SOCK_STREAM, options.port, &tcp_family, error);
  if (tcp < 0) return nullptr;
  if (::listen(tcp, 16) != 0) {
    *error = std::string("listen: ") + std::strerror(errno);
    ::close(tcp);
    return nullptr;
  }
  const int udp = BindAny(SOCK_DGRAM, options.port, &udp_family, error);
  if (udp < 0) {
    ::close(tcp);
    return nullptr;
  }
  ::setsockopt(udp, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);
  ::setsockopt(udp, SOL_SOCKET, SO_SNDBUF, &kSocketBuffer, sizeof kSocketBuffer);
  auto loop = std::make_unique<Loop>(options, tcp, udp, udp_family);
  loop->Run();
  return std::unique_ptr<PeerAgent>(new PeerAgent(std::move(loop)));
}

PeerAgent::PeerAgent(std::unique_ptr<Loop> loop) : loop_(std::move(loop)) {}
PeerAgent::~PeerAgent() = default;

uint16_t PeerAgent::tcp_port() const { return loop_->tcp_port(); }
uint16_t PeerAgent::udp_port() const { return loop_->udp_port(); }
int PeerAgent::notify_fd() const { return loop_->notify_fd(); }
std::vector<PeerNotice> PeerAgent::TakeNotices() { return loop_->TakeNotices(); }
void PeerAgent::Poke() { loop_->Poke(); }
size_t PeerAgent::transfers() const { return loop_->transfers.load() + loop_->queued_sends.load(); }

void PeerAgent::BeginAccept() { ++loop_->accepts_pending; }
void PeerAgent::EndAccept() {
  Loop* l = loop_.get();
  l->Post([l] { --l->accepts_pending; });
}

void PeerAgent::ExpectChat(const std::string& ticket, const std::string& peer) {
  Loop* l = loop_.get();
  l->Post([l, ticket, peer] { l->ExpectChat(ticket, peer); });
}

void PeerAgent::ExpectFile(const std::string& ticket, IncomingFile file) {
  Loop* l = loop_.get();
  l->Post(
      [l, ticket, file = std::move(file)]() mutable { l->ExpectFile(ticket, std::move(file)); });
}

void PeerAgent::OpenChat(const std::string& peer, const std::string& host, uint16_t port,
                         const std::string& ticket) {
  Loop* l = loop_.get();
  l->Post([l, peer, host, port, ticket] { l->OpenChat(peer, host, port, ticket); });
}

std::string PeerAgent::Say(const std::string& peer, const std::string& text) {
  Loop* l = loop_.get();
  return l->Ask([l, peer, text] { return l->Say(peer, text); });
}

std::string PeerAgent::EndChat(const std::string& peer) {
  Loop* l = loop_.get();
  return l->Ask([l, peer] { return l->EndChat(peer); });
}

void PeerAgent::SendFile(OutgoingFile file) {
  Loop* l = loop_.get();
  ++l->queued_sends;
  l->Post([l, file = std::move(file)]() mutable {
    l->SendFile(std::move(file));
    l->transfers.store(l->transfers.load() + 1);
    --l->queued_sends;
  });
}

}  // namespace caucus::client
