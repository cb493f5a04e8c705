// SessionHost: what a ClientSession needs from the server that runs it.
// Server implements it; tests and fuzzers can run sessions with a host of
// their own.
//
// Thread-safety: event loop thread only.
#pragma once

#include <functional>

#include "core/caucus.h"
#include "session/metrics.h"

namespace caucus::session {

class ClientSession;

// What the server's settings say about every session.
struct SessionLimits {
  double commands_per_second = 100;  // on average; 0 = unlimited
  double command_burst = 1000;       // at once
  size_t send_queue = 1 << 20;       // bytes of events queued before TOO_SLOW
  size_t max_line = 8192;            // bytes per line (the RULES extension says it)
  int idle_timeout_s = 600;          // 0 = off (likewise)
};

class SessionHost {
 public:
  virtual ~SessionHost() = default;
  virtual core::Caucus& caucus() = 0;
  virtual const SessionLimits& limits() const = 0;
  // Runs `fn` on the loop after the handlers already queued.
  virtual void Post(std::function<void()> fn) = 0;

  // Bookkeeping of the session's life.
  virtual void Opened(ClientSession* s) = 0;
  virtual void Closed(ClientSession* s) = 0;
  virtual void LoggedIn(ClientSession* s) = 0;  // from the handshake to the idle list
  virtual void Active(ClientSession* s) = 0;    // a command other than PING arrived

  // The counters for /metrics.
  ServerMetrics& metrics() { return metrics_; }

 private:
  ServerMetrics metrics_;
};

}  // namespace caucus::session
