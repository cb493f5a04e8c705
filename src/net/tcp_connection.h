// TcpConnection: one client socket on the event loop, plain or TLS (its
// ByteStream decides); the WebSocket transport implements the same
// Transport.
//
// Waiting: the socket is in the loop's epoll set (Poller), registered once,
// edge-triggered. The connection reads or writes until the kernel answers
// EAGAIN and only then waits for the next event; when it stops early (input
// held, a turn's share read) it reads again on its own when it goes on.
// Nothing is allocated per wait.
//
// Reading: the socket is non-blocking; the connection reads into the
// loop's scratch buffer until the kernel has nothing more, and keeps only
// the unfinished tail of a line (LineFramer). An idle connection therefore
// holds no read buffer and no queue: its object is all it costs.
//
// Writing: Send() queues shared lines; the loop's flush pass writes them
// with one sendmsg per connection per turn. When the kernel's buffer is
// full the connection waits for writability.
//
// Flow control: input is held while the sink is busy with a command, and
// reading stops when too much input is held or when more than
// `output_pause` bytes wait to be written, so a client that sends without
// reading cannot make the server grow.
//
// Thread-safety: event loop thread only.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "net/byte_stream.h"
#include "net/loop.h"
#include "net/out_queue.h"
#include "net/poller.h"
#include "net/tls_context.h"
#include "net/transport.h"
#include "protocol/framer.h"

namespace caucus::net {

struct ConnectionLimits {
  size_t max_line = 8192;               // bytes per line, LF included
  size_t output_pause = 1 << 20;        // stop taking commands above this much queued output
  int close_timeout_ms = 5000;          // CloseAfterFlush gives up after this
  int abort_timeout_ms = 2000;          // Abort gives up after this
  int handshake_timeout_ms = 10000;     // a TLS handshake not done by then is dropped
  int http_request_timeout_ms = 10000;  // an HTTP request not complete by then gets 408
};

class TcpConnection final : public Transport,
                            public Flushable,
                            public Pollable,
                            public std::enable_shared_from_this<TcpConnection> {
 public:
  // Takes ownership of `fd`, a connected non-blocking stream socket, tuned
  // already (TuneClientSocket: a Listener's sockets inherit it). With `tls`,
  // the connection speaks TLS (server side) with that context.
  TcpConnection(Loop& loop, int fd, const ConnectionLimits& limits,
                std::shared_ptr<TlsContext> tls = nullptr);
  ~TcpConnection() override;

  // Completes the TLS handshake if there is one, then hands the connection
  // to `sink` and starts reading.
  void Start(std::shared_ptr<LineSink> sink);

  // Transport
  void Send(const protocol::SharedLine& bytes) override;
  size_t Queued() const override { return out_.bytes(); }
  void CloseAfterFlush() override;
  void Abort(const protocol::SharedLine& last) override;
  void Close() override { Finish(); }
  void ResumeInput() override;

  // Flushable
  void Flush() override;

  // Pollable
  void OnReady(uint32_t events) override;

 private:
  void Handshake();
  void Open();
  void ReadSome();
  void WaitReadable();
  void OnReadable();
  void Dispatch();
  bool HoldingInput() const;
  void WaitWritable();
  void OnWritable();
  void RequestFlush();
  void CloseWithin(int timeout_ms);
  void BeginClose();
  void Drain();
  void Finish();

  Loop& loop_;
  int fd_;
  const ConnectionLimits& limits_;
  std::shared_ptr<LineSink> sink_;
  // The connection keeps itself alive from Start() until just after
  // Finish(): the poller and a held-back input have no reference of their own.
  std::shared_ptr<TcpConnection> self_;
  protocol::LineFramer framer_;
  OutQueue out_;
  PlainStream plain_;                                       // used unless TLS
  std::unique_ptr<ByteStream> tls_;                         // the TLS stream, if any
  ByteStream* stream_;                                      // plain_ or tls_
  std::unique_ptr<boost::asio::steady_timer> close_timer_;  // while closing or handshaking
  // The connection's life, in this order; it only moves forward:
  //   kNew --Start--> kHandshake (TLS) --> kOpen (the sink has it)
  //   kOpen --CloseAfterFlush/Abort/end of input--> kClosing (writing the
  //   rest) --everything written--> kShut (our side shut down, draining the
  //   peer's) --peer closed / timeout--> kClosed.
  // Any phase may go straight to kClosed (an error, Close(), a timeout).
  enum class Phase : uint8_t { kNew, kHandshake, kOpen, kClosing, kShut, kClosed };
  Phase phase_ = Phase::kNew;
  // Within a phase, what the connection waits for and what its input does.
  // Waiting (edge-triggered: set only after the stream said "would block"):
  bool read_waiting_ = false;      // for an input event
  bool write_waiting_ = false;     // for an output event
  bool read_needs_write_ = false;  // TLS: a read waits for writability
  bool write_needs_read_ = false;  // TLS: a write waits for readability
  // Input and output scheduling:
  bool eof_ = false;              // the peer will send nothing more
  bool hung_up_ = false;          // epoll reported the peer's close or an error
  bool sink_busy_ = false;        // the sink holds input until ResumeInput()
  bool in_dispatch_ = false;      // Dispatch() is on the stack
  bool dispatch_posted_ = false;  // a Dispatch() is queued on the loop
  bool flush_requested_ = false;  // the loop's flush pass will call Flush()
};

}  // namespace caucus::net
