// Peer: what the domain needs from a client connection. The server's
// ClientSession implements it over TCP, TLS or WebSocket.
//
// Thread-safety: called on the event loop thread only.
#pragma once

#include "protocol/codes.h"
#include "protocol/shared_line.h"

namespace caucus::core {

class Peer {
 public:
  virtual ~Peer() = default;
  // Queues an event (one or more complete lines, never tagged). A peer whose
  // queue is full ends itself with BYE TOO_SLOW instead.
  virtual void Deliver(const protocol::SharedLine& event) = 0;
  // Sends `BYE <reason>` after whatever reply is in progress and closes the
  // connection; the session ends (Caucus::EndSession is called).
  virtual void End(protocol::Bye reason) = 0;
};

}  // namespace caucus::core
