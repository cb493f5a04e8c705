#include "client/peer_agent.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <variant>

#include "client/download_file.h"
#include "client/file_digest.h"
#include "p2p/chat.h"
#include "p2p/receiver.h"
#include "p2p/sender.h"
#include "p2p/tickets.h"

namespace caucus::client {
namespace {

using p2p::Micros;

Micros NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr size_t kBatch = 64;
constexpr Micros kProgressEvery = 1'000'000;
constexpr Micros kHelloWait = 10'000'000;  // an inbound chat must present its ticket by then
constexpr int kSocketBuffer = 4 << 20;

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  // The bytes that tell two peers apart: family, port and address.
  std::string Key() const {
    if (storage.ss_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
      return std::string("4") + std::string(reinterpret_cast<const char*>(&a->sin_port), 2) +
             std::string(reinterpret_cast<const char*>(&a->sin_addr), 4);
    }
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
    return std::string("6") + std::string(reinterpret_cast<const char*>(&a->sin6_port), 2) +
           std::string(reinterpret_cast<const char*>(&a->sin6_addr), 16);
  }
  std::string Text() const {
    char host[INET6_ADDRSTRLEN] = "?";
    uint16_t port = 0;
    if (storage.ss_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
      ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
      port = ntohs(a->sin_port);
      return std::string(host) + ":" + std::to_string(port);
    }
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
    ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    port = ntohs(a->sin6_port);
    return "[" + std::string(host) + "]:" + std::to_string(port);
  }
};

// `host` (a numeric address) and `port` as an address for a socket of
// `family` (AF_INET6 sockets reach IPv4 peers through mapped addresses);
// family 0: whatever the host is.
bool Resolve(const std::string& host, uint16_t port, int family, int socktype, Address* out) {
  addrinfo hints{};
  hints.ai_family = family == 0 ? AF_UNSPEC : family;
  hints.ai_socktype = socktype;
  hints.ai_flags = AI_NUMERICSERV | (family == AF_INET6 ? AI_V4MAPPED : 0);
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res) {
    return false;
  }
  std::memcpy(&out->storage, res->ai_addr, res->ai_addrlen);
  out->length = res->ai_addrlen;
  ::freeaddrinfo(res);
  return true;
}

// A socket bound to every address on `port`: IPv6 taking IPv4 too when the
// system has IPv6, else IPv4.
int BindAny(int type, uint16_t port, int* family, std::string* error) {
  int fd = ::socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
    const int off = 0, on = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    if (type == SOCK_STREAM) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_any;
    a.sin6_port = htons(port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      *family = AF_INET6;
      return fd;
    }
    ::close(fd);
  }
  fd = ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  const int on = 1;
  if (type == SOCK_STREAM) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  a.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    *error = "cannot listen on port " + std::to_string(port) + ": " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  *family = AF_INET;
  return fd;
}

uint16_t LocalPort(int fd) {
  sockaddr_storage s{};
  socklen_t len = sizeof s;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&s), &len);
  if (s.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&s)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&s)->sin6_port);
}

std::string Bytes(uint64_t n) {
  char buf[32];
  if (n < 1000) return std::to_string(n) + " B";
  if (n < 1000 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1e3);
  } else if (n < 1000ULL * 1000 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f GB", static_cast<double>(n) / 1e9);
  }
  return buf;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.2f s" : "%.0f s", s);
  return buf;
}

// Reads the file a block of 1 MiB at a time: chunks are asked for mostly in
// order, and one pread per 1200-byte chunk would cost more than the rest.
class FileSource : public p2p::Source {
 public:
  explicit FileSource(int fd) : fd_(fd) {}
  ~FileSource() override { ::close(fd_); }
  bool Read(uint64_t offset, size_t len, std::string* out) override {
    if (offset < block_start_ || offset + len > block_start_ + block_.size()) {
      if (!Load(offset - offset % kBlock, std::max<size_t>(kBlock, len + offset % kBlock))) {
        return false;
      }
      if (offset + len > block_start_ + block_.size()) return false;
    }
    out->assign(block_.data() + (offset - block_start_), len);
    return true;
  }

 private:
  static constexpr size_t kBlock = 1 << 20;
  bool Load(uint64_t start, size_t len) {
    block_.resize(len);
    size_t got = 0;
    while (got < len) {
      const ssize_t n =
          ::pread(fd_, block_.data() + got, len - got, static_cast<off_t>(start + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    block_.resize(got);
    block_start_ = start;
    return true;
  }

  int fd_;
  std::string block_;
  uint64_t block_start_ = 0;
};

// Datagrams to send, each to its address, flushed with sendmmsg. The
// buffers must stay unchanged until Flush().
class UdpBatch {
 public:
  void Add(const Address& to, const std::string& bytes) { items_.push_back({&to, &bytes}); }
  void AddAll(const Address& to, const p2p::Outbox& out) {
    for (size_t i = 0; i < out.size(); ++i) Add(to, out[i]);
  }
  // Sends everything; a datagram the kernel will not take now is dropped
  // (the protocol recovers it as a loss).
  void Flush(int fd) {
    size_t at = 0;
    while (at < items_.size()) {
      const size_t n = std::min(kBatch, items_.size() - at);
      mmsghdr msgs[kBatch];
      iovec iov[kBatch];
      for (size_t i = 0; i < n; ++i) {
        const Item& item = items_[at + i];
        iov[i] = {const_cast<char*>(item.bytes->data()), item.bytes->size()};
        msgs[i] = {};
        msgs[i].msg_hdr.msg_name = const_cast<sockaddr*>(item.to->get());
        msgs[i].msg_hdr.msg_namelen = item.to->length;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      const int sent = ::sendmmsg(fd, msgs, static_cast<unsigned>(n), MSG_DONTWAIT);
      if (sent < 0 && errno == EINTR) continue;
      if (sent <= 0) {
        at += 1;  // skip the one that failed (dropped)
        continue;
      }
      at += static_cast<size_t>(sent);
    }
    items_.clear();
  }

 private:
  struct Item {
    const Address* to;
    const std::string* bytes;
  };
  std::vector<Item> items_;
};

// Progress shows every second, and as each quarter of the file passes (so
// that a short transfer shows some too).
bool Due(Micros now, Micros last, uint64_t bytes, uint64_t size, int* quarter) {
  bool due = now - last >= kProgressEvery;
  while (*quarter < 4 && bytes * 4 >= size * static_cast<uint64_t>(*quarter)) {
    ++*quarter;
    due = true;
  }
  return due && size > 0;
}

struct ChatOffer {
  std::string peer;
};
using Expectation = std::variant<ChatOffer, IncomingFile>;

}  // namespace

class PeerAgent::Loop {
 public:
  Loop(const Options& options, int tcp, int udp, int family)
      : options_(options), listen_fd_(tcp), udp_fd_(udp), family_(family) {
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    notify_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    rx_buffers_.resize(kBatch);
    for (auto& b : rx_buffers_) b.resize(p2p::kMaxDatagram + 1);
  }

  ~Loop() {
    Post([this] { stopping_ = true; });
    if (thread_.joinable()) thread_.join();
    for (int fd : {listen_fd_, udp_fd_, wake_fd_, notify_fd_}) ::close(fd);
  }

  void Run() {
    thread_ = std::thread([this] { Main(); });
  }

  uint16_t tcp_port() const { return LocalPort(listen_fd_); }
  uint16_t udp_port() const { return LocalPort(udp_fd_); }
  int notify_fd() const { return notify_fd_; }

  std::vector<PeerNotice> TakeNotices() {
    uint64_t v;
    while (::read(notify_fd_, &v, sizeof v) > 0) {
    }
    std::lock_guard lock(mu_);
    std::vector<PeerNotice> out(std::make_move_iterator(notices_.begin()),
                                std::make_move_iterator(notices_.end()));
    notices_.clear();
    return out;
  }

  void Poke() { Signal(notify_fd_); }

  // Runs `f` on the loop's thread.
  void Post(std::function<void()> f) {
    {
      std::lock_guard lock(mu_);
      commands_.push_back(std::move(f));
    }
    Signal(wake_fd_);
  }

  // Runs `f` on the loop's thread and waits for its answer.
  std::string Ask(std::function<std::string()> f) {
    auto promise = std::make_shared<std::promise<std::string>>();
    auto answer = promise->get_future();
    Post([promise, f = std::move(f)] { promise->set_value(f()); });
    return answer.get();
  }

  std::atomic<int> accepts_pending{0};
  std::atomic<size_t> transfers{0};
  std::atomic<size_t> queued_sends{0};  // SendFile() calls the loop has not taken yet

  // Loop-thread state and handlers; called through Post().
  void ExpectChat(const std::string& ticket, const std::string& peer) {
    tickets_.Expect(ticket, ChatOffer{peer}, NowMicros());
  }
  void ExpectFile(const std::string& ticket, IncomingFile file) {
    tickets_.Expect(ticket, std::move(file), NowMicros());
  }
  void OpenChat(const std::string& peer, const std::string& host, uint16_t port,
                const std::string& ticket);
  std::string Say(const std::string& peer, const std::string& text);
  std::string EndChat(const std::string& peer);
  void SendFile(OutgoingFile file);

 private:
  struct Chat {
    int fd = -1;
    bool inbound = false;
    bool connecting = false;
    std::string peer;  // empty until an inbound chat presents its ticket
    std::string ticket;
    Address address;
    p2p::ChatReader reader{false};
    std::string out;
    Micros since = 0;
    bool closed = false;
  };
  struct Outgoing {
    OutgoingFile file;
    std::unique_ptr<FileSource> source;
    std::unique_ptr<p2p::Sender> sender;
    Address to;
    Micros started = 0;
    Micros last_note = 0;
    int quarter = 1;  // the next quarter of the file whose passing is shown
    p2p::Outbox out;
  };
  struct Incoming {
    IncomingFile file;
    std::unique_ptr<DownloadFile> sink;
    std::unique_ptr<p2p::Receiver> receiver;
    Address from;
    Micros started = 0;
    Micros last_note = 0;
    int quarter = 1;
    bool reported = false;
    bool touched = false;
    p2p::Outbox out;
  };

  static void Signal(int fd) {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);
  }

  void Notify(PeerNotice n) {
    {
      std::lock_guard lock(mu_);
      notices_.push_back(std::move(n));
    }
    Signal(notify_fd_);
  }

  void Main();
  void RunCommands();
  void AcceptChats();
  void ServiceChat(Chat& c, short revents, Micros now);
  // Takes what the chat's reader holds: its ticket, then messages.
  void DrainChat(Chat& c, Micros now);
  void RefuseChat(Chat& c, const std::string& why);
  void OnChatHello(Chat& c, Micros now);
  void CloseChat(Chat& c, const std::string& why, bool tell);
  void ReceiveDatagrams(Micros now);
  void OnDatagram(const Address& from, std::string_view bytes, Micros now);
  void OnStart(const Address& from, const p2p::Datagram& d, Micros now);
  void Refuse(const Address& from, uint32_t transfer, p2p::Result why, const std::string& text);
  void ServiceTransfers(Micros now);
  void FinishIncoming(Incoming& in, Micros now);
  void Progress(const std::string& id, bool sending, const std::string& peer,
                const std::string& name, uint64_t bytes, uint64_t size, Micros started, Micros now);
  Micros NextWakeup(Micros now) const;
  void Shutdown();

  Options options_;
  int listen_fd_;
  int udp_fd_;
  int family_;
  int wake_fd_ = -1;
  int notify_fd_ = -1;
  std::thread thread_;
  bool stopping_ = false;

  std::mutex mu_;
  std::deque<std::function<void()>> commands_;
  std::deque<PeerNotice> notices_;

  p2p::TicketBook<Expectation> tickets_;
  std::map<int, Chat> chats_;  // by socket
  std::map<uint32_t, Outgoing> outgoing_;
  std::map<std::string, Incoming> incoming_;  // by peer address key + transfer id
  std::vector<std::string> rx_buffers_;
  UdpBatch batch_;
};

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

// ---- private chats ----

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

// ---- files ----

void PeerAgent::Loop::SendFile(OutgoingFile file) {
  Address to;
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  const auto fail = [&](const std::string& why) {
    Notify({"failed",
            "sending " + file.name + " to " + file.to + " failed: " + why,
            {{"id", file.id},
             {"direction", "send"},
             {"peer", file.to},
             {"file", file.name},
             {"reason", why}},
            true});
  };
  if (fd < 0) {
    fail(std::string("cannot open ") + file.path + ": " + std::strerror(errno));
    return;
  }
  if (!Resolve(file.host, file.port, family_, SOCK_DGRAM, &to)) {
    ::close(fd);
    fail("cannot reach " + file.host);
    return;
  }
  uint32_t transfer = 0;
  while (transfer == 0 || outgoing_.count(transfer)) transfer = randombytes_random();
  p2p::Sender::Config config;
  config.transfer = transfer;
  config.ticket = file.ticket;
  config.size = file.size;
  config.sha256 = file.sha256;
  config.payload = options_.payload;
  Outgoing o;
  o.source = std::make_unique<FileSource>(fd);
  const Micros now = NowMicros();
  o.sender = std::make_unique<p2p::Sender>(config, *o.source, now);
  o.to = to;
  o.started = o.last_note = now;
  Notify({"sending",
          "sending " + file.name + " (" + Bytes(file.size) + ") to " + file.to,
          {{"id", file.id},
           {"peer", file.to},
           {"file", file.name},
           {"size", std::to_string(file.size)}},
          false});
  o.file = std::move(file);
  outgoing_.emplace(transfer, std::move(o));
}

void PeerAgent::Loop::ReceiveDatagrams(Micros now) {
  for (int round = 0; round < 16; ++round) {
    mmsghdr msgs[kBatch];
    iovec iov[kBatch];
    Address from[kBatch];
    for (size_t i = 0; i < kBatch; ++i) {
      iov[i] = {rx_buffers_[i].data(), rx_buffers_[i].size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = &from[i].storage;
      msgs[i].msg_hdr.msg_namelen = sizeof from[i].storage;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = ::recvmmsg(udp_fd_, msgs, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    for (int i = 0; i < n; ++i) {
      from[i].length = msgs[i].msg_hdr.msg_namelen;
      if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) continue;
      OnDatagram(from[i], std::string_view(rx_buffers_[i].data(), msgs[i].msg_len), now);
    }
    // Answer this batch (one ACK per transfer) and let the senders go on.
    ServiceTransfers(NowMicros());
    if (static_cast<size_t>(n) < kBatch) return;
  }
}

void PeerAgent::Loop::Refuse(const Address& from, uint32_t transfer, p2p::Result why,
                             const std::string& text) {
  std::string bytes;
  p2p::EncodeClose(transfer, why, &bytes);
  ::sendto(udp_fd_, bytes.data(), bytes.size(), MSG_DONTWAIT, from.get(), from.length);
  if (!text.empty()) {
    Notify({"refused", text, {{"transport", "udp"}, {"address", from.Text()}}, true});
  }
}

void PeerAgent::Loop::OnDatagram(const Address& from, std::string_view bytes, Micros now) {
  const auto d = p2p::Decode(bytes);
  if (!d) return;  // not ours: ignored
  if (d->type == p2p::Type::kAck || d->type == p2p::Type::kClose) {
    auto it = outgoing_.find(d->transfer);
    if (it != outgoing_.end() && it->second.to.Key() == from.Key()) {
      it->second.sender->OnDatagram(*d, now);
      return;
    }
    if (d->type == p2p::Type::kAck) return;
  }
  const std::string key = from.Key() + std::to_string(d->transfer);
  auto it = incoming_.find(key);
  if (it != incoming_.end()) {
    it->second.receiver->OnDatagram(*d, now);
    it->second.touched = true;
    return;
  }
  switch (d->type) {
    case p2p::Type::kStart:
      OnStart(from, *d, now);
      break;
    case p2p::Type::kData:
    case p2p::Type::kFin:
      Refuse(from, d->transfer, p2p::Result::kRefused, {});
      break;
    default:
      break;
  }
}

void PeerAgent::Loop::OnStart(const Address& from, const p2p::Datagram& d, Micros now) {
  if (!tickets_.Known(d.start.ticket) && accepts_pending.load() > 0) return;  // asks again
  auto offer = tickets_.Redeem(d.start.ticket, now);
  if (!offer || !std::holds_alternative<IncomingFile>(*offer)) {
    Refuse(from, d.transfer, p2p::Result::kRefused,
           "refused a file transfer from " + from.Text() + ": no valid ticket");
    return;
  }
  IncomingFile file = std::get<IncomingFile>(std::move(*offer));
  const auto fail = [&](const std::string& why) {
    Notify({"failed",
            "receiving " + file.name + " from " + file.from + " failed: " + why,
            {{"id", file.id},
             {"direction", "receive"},
             {"peer", file.from},
             {"file", file.name},
             {"reason", why}},
            true});
  };
  if (d.start.size != file.size || d.start.sha256 != file.sha256) {
    Refuse(from, d.transfer, p2p::Result::kBadOffer, {});
    fail(std::string(p2p::ResultText(p2p::Result::kBadOffer)));
    return;
  }
  std::string error;
  auto sink = DownloadFile::Create(options_.downloads, DownloadName(file.from, file.name), &error);
  if (!sink) {
    Refuse(from, d.transfer, p2p::Result::kLocalError, {});
    fail(error);
    return;
  }
  Incoming in;
  in.sink = std::move(sink);
  in.receiver = std::make_unique<p2p::Receiver>(d.transfer, d.start, *in.sink, now);
  in.from = from;
  in.started = in.last_note = now;
  in.touched = true;
  Notify({"receiving",
          "receiving " + file.name + " (" + Bytes(file.size) + ") from " + file.from,
          {{"id", file.id},
           {"peer", file.from},
           {"file", file.name},
           {"size", std::to_string(file.size)}},
          false});
  in.file = std::move(file);
  incoming_.emplace(from.Key() + std::to_string(d.transfer), std::move(in));
}

void PeerAgent::Loop::Progress(const std::string& id, bool sending, const std::string& peer,
                               const std::string& name, uint64_t bytes, uint64_t size,
                               Micros started, Micros now) {
  const double secs = static_cast<double>(now - started) / 1e6;
  const double rate = secs > 0 ? static_cast<double>(bytes) / secs : 0;
  const double eta = rate > 0 ? static_cast<double>(size - bytes) / rate : -1;
  std::string text = std::string(sending ? "sending " : "receiving ") + name +
                     (sending ? " to " : " from ") + peer + ": " + Bytes(bytes) + " of " +
                     Bytes(size) + ", " + Bytes(static_cast<uint64_t>(rate)) + "/s";
  text += eta >= 0 ? ", about " + Seconds(eta) + " left" : ", waiting";
  Notify({"progress",
          text,
          {{"id", id},
           {"direction", sending ? "send" : "receive"},
           {"peer", peer},
           {"file", name},
           {"bytes", std::to_string(bytes)},
           {"size", std::to_string(size)},
           {"rate", std::to_string(static_cast<uint64_t>(rate))},
           {"eta", eta >= 0 ? std::to_string(static_cast<int64_t>(std::ceil(eta))) : "-"}},
          false});
}

void PeerAgent::Loop::FinishIncoming(Incoming& in, Micros now) {
  in.reported = true;
  const IncomingFile& f = in.file;
  const double secs = static_cast<double>(now - in.started) / 1e6;
  if (in.receiver->state() == p2p::Receiver::State::kDone) {
    std::string error;
    if (auto path = in.sink->Keep(&error)) {
      Notify({"received",
              "received " + f.name + " from " + f.from + ": saved as " + *path + " (" +
                  Bytes(f.size) + " in " + Seconds(secs) + ", SHA-256 verified)",
              {{"id", f.id},
               {"peer", f.from},
               {"file", f.name},
               {"path", *path},
               {"size", std::to_string(f.size)},
               {"sha256", ToHex(f.sha256)}},
              false});
      return;
    }
    in.receiver->Fail(p2p::Result::kLocalError, now);
    in.sink->Discard();
    Notify({"failed",
            "receiving " + f.name + " from " + f.from + " failed: " + error,
            {{"id", f.id},
             {"direction", "receive"},
             {"peer", f.from},
             {"file", f.name},
             {"reason", error}},
            true});
    return;
  }
  in.sink->Discard();
  const std::string why(p2p::ResultText(in.receiver->result()));
  Notify({"failed",
          "receiving " + f.name + " from " + f.from + " failed: " + why + "; nothing was kept",
          {{"id", f.id},
           {"direction", "receive"},
           {"peer", f.from},
           {"file", f.name},
           {"reason", why}},
          true});
}

void PeerAgent::Loop::ServiceTransfers(Micros now) {
  size_t running = 0;
  for (auto it = incoming_.begin(); it != incoming_.end();) {
    Incoming& in = it->second;
    if (in.receiver->finished() && !in.reported) FinishIncoming(in, now);
    if (in.touched || in.receiver->NextWakeup() <= now) {
      in.touched = false;
      in.out.Clear();
      in.receiver->Poll(now, &in.out);
      if (in.receiver->finished() && !in.reported) {
        FinishIncoming(in, now);  // a timeout found by Poll(): its CLOSE is out already
      }
      batch_.AddAll(in.from, in.out);
    }
    if (!in.receiver->finished()) {
      ++running;
      if (Due(now, in.last_note, in.receiver->bytes_received(), in.file.size, &in.quarter)) {
        in.last_note = now;
        Progress(in.file.id, false, in.file.from, in.file.name, in.receiver->bytes_received(),
                 in.file.size, in.started, now);
      }
    }
    if (in.receiver->expired(now)) {
      it = incoming_.erase(it);
    } else {
      ++it;
    }
  }
  batch_.Flush(udp_fd_);
  for (auto it = outgoing_.begin(); it != outgoing_.end();) {
    Outgoing& o = it->second;
    for (int round = 0; round < 8 && o.sender->NextWakeup() <= now; ++round) {
      o.out.Clear();
      o.sender->Poll(now, &o.out);
      batch_.AddAll(o.to, o.out);
      batch_.Flush(udp_fd_);
      if (o.out.size() == 0) break;
    }
    if (!o.sender->finished()) {
      ++running;
      if (Due(now, o.last_note, o.sender->bytes_acked(), o.file.size, &o.quarter)) {
        o.last_note = now;
        Progress(o.file.id, true, o.file.to, o.file.name, o.sender->bytes_acked(), o.file.size,
                 o.started, now);
      }
      ++it;
      continue;
    }
    const OutgoingFile& f = o.file;
    const double secs = static_cast<double>(now - o.started) / 1e6;
    if (o.sender->state() == p2p::Sender::State::kDone) {
      Notify({"sent",
              "sent " + f.name + " to " + f.to + ": " + Bytes(f.size) + " in " + Seconds(secs) +
                  " (" +
                  Bytes(static_cast<uint64_t>(secs > 0 ? static_cast<double>(f.size) / secs : 0)) +
                  "/s), SHA-256 verified by " + f.to,
              {{"id", f.id},
               {"peer", f.to},
               {"file", f.name},
               {"size", std::to_string(f.size)},
               {"seconds", std::to_string(secs)},
               {"retransmissions", std::to_string(o.sender->retransmissions())},
               {"timeouts", std::to_string(o.sender->timeouts())}},
              false});
    } else {
      const std::string why(p2p::ResultText(o.sender->result()));
      Notify(
          {"failed",
           "sending " + f.name + " to " + f.to + " failed: " + why,
           {{"id", f.id}, {"direction", "send"}, {"peer", f.to}, {"file", f.name}, {"reason", why}},
           true});
    }
    it = outgoing_.erase(it);
  }
  transfers.store(running);
}

void PeerAgent::Loop::Shutdown() {
  const Micros now = NowMicros();
  for (auto& [id, o] : outgoing_) {
    o.sender->Cancel();
    o.out.Clear();
    o.sender->Poll(now, &o.out);
    batch_.AddAll(o.to, o.out);
  }
  for (auto& [key, in] : incoming_) {
    if (in.receiver->finished()) continue;
    in.receiver->Cancel(now);
    in.out.Clear();
    in.receiver->Poll(now, &in.out);
    batch_.AddAll(in.from, in.out);
    in.sink->Discard();
  }
  batch_.Flush(udp_fd_);
  outgoing_.clear();
  incoming_.clear();
  for (auto& [fd, c] : chats_) ::close(fd);
  chats_.clear();
  transfers.store(0);
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
