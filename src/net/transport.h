// Transport and LineSink: the seam between a connection's bytes (net/) and
// the protocol session that reads its lines (server/).
//
// A connection holds its sink (shared: the session may outlive the socket
// while a command finishes). It feeds the sink one frame at a time; the
// sink answers whether it can take the next frame now. When it cannot (a
// command is waiting on the store or a hash), the connection holds further
// input until the sink calls ResumeInput(): commands run one at a time, in
// the order received.
//
// Thread-safety: event loop thread only.
#pragma once

#include <cstddef>
#include <string>

#include "protocol/framer.h"
#include "protocol/shared_line.h"

namespace caucus::net {

class Transport {
 public:
  virtual ~Transport() = default;
  // Queues bytes; they are written with the rest of this loop turn's output.
  virtual void Send(const protocol::SharedLine& bytes) = 0;
  // Bytes queued and not yet written to the socket.
  virtual size_t Queued() const = 0;
  // Writes what is queued, then closes (within a bounded time). Input stops.
  virtual void CloseAfterFlush() = 0;
  // Drops what is queued beyond the line being written, queues `last`, and
  // closes once that is written, or after a short grace period if the peer
  // does not read it. Input stops.
  virtual void Abort(const protocol::SharedLine& last) = 0;
  // Closes now; whatever is queued is lost.
  virtual void Close() = 0;
  // The sink can take frames again.
  virtual void ResumeInput() = 0;
};

class LineSink {
 public:
  virtual ~LineSink() = default;
  // Called once, before any frame. The transport outlives every call to
  // the sink up to OnClosed().
  virtual void OnOpen(Transport* transport) = 0;
  // One received frame. Returns true when the next frame may follow at
  // once, false to hold input until Transport::ResumeInput().
  virtual bool OnFrame(const protocol::LineFramer::Frame& frame) = 0;
  // The connection is gone; the transport must not be used any more.
  virtual void OnClosed() = 0;
};

}  // namespace caucus::net
