// PeerAgent::Loop: the agent's thread and all it owns (peer_agent.h).
// Internal to the agent, whose code is split by concern: peer_agent.cc (the
// loop itself and the public methods), peer_chats.cc (private chats over
// TCP), peer_transfers.cc (files over UDP).
//
// Thread-safety: the members are the loop thread's, except the atomics and
// the queues behind mu_.
#pragma once

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>

#include "client/p2p/download_file.h"
#include "client/p2p/peer_agent.h"
#include "client/p2p/peer_socket.h"
#include "p2p/chat.h"
#include "p2p/receiver.h"
#include "p2p/sender.h"
#include "p2p/tickets.h"

namespace caucus::client {

using p2p::Micros;

inline Micros NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline constexpr Micros kProgressEvery = 1'000'000;
inline constexpr Micros kHelloWait = 10'000'000;  // an inbound chat must present its ticket by then
inline constexpr int kSocketBuffer = 4 << 20;

struct ChatOffer {
  std::string peer;
};
using Expectation = std::variant<ChatOffer, IncomingFile>;

class PeerAgent::Loop {
 public:
  Loop(const Options& options, int tcp, int udp, int family)
      : options_(options), listen_fd_(tcp), udp_fd_(udp), family_(family) {
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    notify_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    rx_buffers_.resize(kPeerBatch);
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
    std::unique_ptr<p2p::Source> source;
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

}  // namespace caucus::client
