// Session: the client's side of the protocol, without sockets.
//
// Every command goes out with a fresh tag ("@c1", "@c2", ...); the server
// echoes it on every line of the reply and never on an event. Session keeps
// the commands still waiting for their final line, in the order sent (the
// server answers in that order), gathers their data lines, and tells each
// received line apart: a reply is complete, an event arrived, or the line
// makes no sense (an unknown tag, say), which the caller reports.
//
// Thread-safety: none; one Session belongs to one connection.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "client/link/reply.h"
#include "client/link/request.h"

namespace caucus::client {

struct Received {
  enum class Kind {
    kNothing,     // an empty line, or a data line kept for its reply
    kEvent,       // `event` holds it (the greeting HELLO counts as one)
    kReply,       // `reply` is complete
    kUnexpected,  // `line` could not be understood or belongs to no command
  };
  Kind kind = Kind::kNothing;
  Line event;
  Reply reply;
  std::string line;
};

class Session {
 public:
  // Appends `request`, tagged, to *out and records it as waiting. Returns
  // its tag, or an empty string (nothing appended) when it cannot be sent.
  std::string Submit(const Request& request, std::string* out);

  // Takes one received line, without its LF.
  Received Receive(std::string_view line);

  // Commands sent and not answered yet.
  size_t waiting() const { return waiting_.size(); }

  // The connection is gone: no reply will come for the waiting commands.
  void Reset();

 private:
  struct Waiting {
    std::string tag;
    Reply reply;  // data lines gathered so far
  };
  std::deque<Waiting> waiting_;
  uint64_t next_tag_ = 1;
};

}  // namespace caucus::client
