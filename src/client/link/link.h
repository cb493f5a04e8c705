// Link: the connection to the server and the protocol session over it.
// Call() sends a request and waits for its reply; events that arrive
// meanwhile, or while nothing is waited for (Service()), go to the sink at
// once, in the order received.
//
// A connection that ends, fails, or leaves a reply unanswered for
// `reply_timeout` is closed; connected() turns false and the caller decides
// whether to reconnect. The BYE reason received last, if any, says why.
// One case is handled here: a server closes a connection that has not
// logged in for a while (BYE HANDSHAKE_TIMEOUT, while a person types a
// password, say) without reading anything more; the next Call() opens a new
// connection and sends its command there.
//
// Thread-safety: none; one thread drives the client.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "client/link/caller.h"
#include "client/link/connection.h"
#include "client/link/endpoint.h"
#include "client/link/session.h"

namespace caucus::client {

class Link : public Caller {
 public:
  // Waits end early when a signal asks the client to leave (signals.h).
  Link(EventSink& sink, std::chrono::milliseconds reply_timeout)
      : sink_(sink), reply_timeout_(reply_timeout) {}

  // Closes any connection, connects to `endpoint` and waits for the
  // server's greeting, which goes to *hello ("HELLO caucus/1 <name>
  // :<banner>"). Returns false with *error in words when there is no Caucus
  // server there (an HTTP server, such as caucusd's web port, is named as
  // such within a second or so).
  bool Connect(const Endpoint& endpoint, Line* hello, std::string* error);

  bool connected() const { return conn_ != nullptr; }
  // The socket to poll() for input; -1 when not connected.
  int fd() const { return conn_ ? conn_->fd() : -1; }

  CallResult Call(const Request& request) override;

  // Handles what the server has sent, without waiting. Returns
  // connected(): false once the connection has ended.
  bool Service();

  void Close();

  // The reason of the last BYE on the latest connection; empty if none came.
  const std::string& bye() const { return bye_; }
  // True when the latest Connect() failed because the server's TLS
  // certificate was refused (not trusted, or for another host).
  bool certificate_refused() const { return certificate_refused_; }

 private:
  // Sends `request` on the current connection and waits for its reply.
  CallResult Exchange(const Request& request);
  // Hands one received line to the session; returns a completed reply.
  std::optional<Reply> Dispatch(const std::string& line);
  // Hands lines already received to the session until `tag`'s reply (when
  // not empty) completes; returns it.
  std::optional<Reply> Drain(const std::string& tag);
  // Waits until the socket or the signal pipe is readable, or `timeout_ms`.
  // Returns false on timeout.
  bool Wait(int timeout_ms);
  // Reads what the socket holds; notes the end of the stream.
  void Read();

  // How long Connect() waits for the greeting before it sends a HELLO of
  // its own, to make a server that is not a Caucus server answer.
  static constexpr std::chrono::milliseconds kProbeAfter{1000};

  EventSink& sink_;
  std::chrono::milliseconds reply_timeout_;
  std::string probe_tag_;  // the tag of that HELLO until its answer comes
  Endpoint endpoint_;      // of the latest Connect()
  std::unique_ptr<Connection> conn_;
  bool ended_ = false;  // the stream ended; lines read before may remain
  Session session_;
  std::string bye_;
  bool certificate_refused_ = false;
};

}  // namespace caucus::client
