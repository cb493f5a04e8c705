// Connection: one non-blocking TCP client socket on an EventLoop. Bytes in
// are split into lines by a LineFramer and handed to a Listener; bytes out
// are buffered and sent once at the end of the turn in which they were
// queued. Closing always resets the connection (SO_LINGER 0), so a load
// generator that opens and closes many connections leaves no TIME_WAIT
// sockets behind to exhaust the ephemeral ports.
//
// Thread-safety: that of its EventLoop.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bench/event_loop.h"
#include "protocol/framer.h"

namespace caucus::bench {

// Where a connection goes, and from which local address (port chosen by
// the kernel) when the default one would run out of ports.
struct Endpoints {
  sockaddr_in server{};
  std::optional<sockaddr_in> source;
};

class Connection final : private EventLoop::Handler {
 public:
  class Listener {
   public:
    virtual void OnConnected() = 0;                   // output may be queued now
    virtual void OnLine(std::string_view line) = 0;   // without its CR LF
    virtual void OnClosed(std::string_view why) = 0;  // lost; not called after Close()
    // After the lines of one read were handed over: a listener that must
    // answer before the end of the turn calls FlushNow() here.
    virtual void OnLinesDone() {}

   protected:
    ~Listener() = default;
  };

  // The loop and listener must outlive the connection.
  Connection(EventLoop& loop, Listener& listener, Endpoints endpoints);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens a socket and starts connecting; OnConnected() or OnClosed()
  // follows. Returns false, with the reason, when no socket could be opened.
  bool Open(std::string* why);

  // Closes now, then opens a fresh socket to the same endpoints at the end
  // of the turn (after this turn's events, which may name the old socket).
  // Safe to call from the listener's callbacks.
  void Reopen();

  // Closes now (a reset); no callback follows. Safe to call twice and from
  // the listener's callbacks.
  void Close();

  // Appends output through `append(std::string&)`; it is sent at the end
  // of the turn. Output queued while not connected waits for the connection.
  template <typename Append>
  void Write(Append&& append) {
    const size_t before = out_.size();
    append(out_);
    if (out_.size() != before) RequestFlush();
  }

  // Sends the queued output now instead of at the end of the turn.
  void FlushNow() {
    if (state_ == State::kOpen && out_sent_ < out_.size()) Send();
  }

  bool connected() const { return state_ == State::kOpen; }

 private:
  enum class State { kClosed, kConnecting, kOpen };

  void OnIo(uint32_t events) override;
  void OnFlush() override;
  void FinishConnect(uint32_t events);
  bool Read();
  void Send();
  void Fail(std::string_view why);
  void RequestFlush();
  void WatchOutput(bool on);

  EventLoop& loop_;
  Listener& listener_;
  Endpoints endpoints_;
  int fd_ = -1;
  State state_ = State::kClosed;
  uint64_t generation_ = 0;  // bumped by Close(): callbacks may replace the socket
  bool flush_requested_ = false;
  bool reopen_pending_ = false;
  bool watching_output_ = false;
  protocol::LineFramer framer_;
  std::string out_;
  size_t out_sent_ = 0;  // bytes at the front of out_ already sent
};

}  // namespace caucus::bench
