// Caller: sends one request and waits for its reply. The interface the
// command flows (login, vote, ...) talk to, so that they can be tested
// against a scripted server; Link is the real one.
#pragma once

#include "client/link/reply.h"
#include "client/link/request.h"

namespace caucus::client {

struct CallResult {
  enum class Status {
    kOk,           // `reply` holds the answer (which may be an ERR)
    kLost,         // the connection ended first; the command may or may not have run
    kInterrupted,  // the user asked to leave while waiting
    kUnsendable,   // the request holds something that cannot be sent
  };
  Status status = Status::kLost;
  Reply reply;
  bool answered() const { return status == Status::kOk; }
};

class Caller {
 public:
  virtual ~Caller() = default;
  virtual CallResult Call(const Request& request) = 0;
};

// Receives what the server sends outside the replies being waited for.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnEvent(const Line& event) = 0;
  // The reply to a command nobody waits for any more (it was interrupted).
  virtual void OnLateReply(const Reply& reply) = 0;
  // A line that fits no command and is no event.
  virtual void OnUnexpected(std::string_view line) = 0;
};

}  // namespace caucus::client
