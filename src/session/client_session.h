// ClientSession: the protocol side of one client connection. It reads
// frames from its Transport, parses them, runs one command at a time
// through the dispatcher, and writes replies and events back.
//
// It is the domain's Peer for the connection: events arrive through
// Deliver(), forced endings through End(). A client whose queued events
// pass --send-queue bytes is ended with BYE TOO_SLOW.
//
// Lifetime: shared. The connection holds it; a command waiting on the store
// or a hash holds it too (through Reply), so it may outlive the socket;
// then replies and events are dropped.
//
// Thread-safety: event loop thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/outcome.h"
#include "core/peer.h"
#include "core/rate_limit.h"
#include "core/session.h"
#include "net/transport.h"
#include "session/deadline_list.h"
#include "session/metrics.h"

namespace caucus::session {

class SessionHost;
struct Verb;

class ClientSession final : public net::LineSink,
                            public core::Peer,
                            public DeadlineEntry,  // in the server's idle or handshake list
                            public std::enable_shared_from_this<ClientSession> {
 public:
  ClientSession(SessionHost& host, uint64_t id, std::string address);
  ~ClientSession() override;

  // net::LineSink
  void OnOpen(net::Transport* transport) override;
  bool OnFrame(const protocol::LineFramer::Frame& frame) override;
  void OnClosed() override;

  // core::Peer
  void Deliver(const protocol::SharedLine& event) override;
  void End(protocol::Bye reason) override;

  // Sends the reply that completes the current command. With `bye`, the
  // session then ends with that reason. With `hold`, further commands wait
  // until Release() (the command has more to hand over, as events).
  void Complete(std::string_view reply, std::optional<protocol::Bye> bye, bool hold);
  // The same, at once (Complete waits for the other nodes first when the
  // command told them something).
  void CompleteNow(std::string_view reply, std::optional<protocol::Bye> bye, bool hold);
  void Release();
  // Closes the connection at once (the end of a shutdown).
  void Disconnect();

  // The domain's session, kept alive with this object.
  std::shared_ptr<core::Session> session() { return {shared_from_this(), &session_}; }
  core::Session& state() { return session_; }
  SessionHost& host() { return host_; }
  const std::string& tag() const { return tag_; }
  std::string_view verb() const { return verb_; }
  bool connected() const { return transport_ != nullptr && !ending_; }

  // With several nodes, a name, poll or post this node has not heard of
  // may be one another node made a moment ago: instead of answering
  // `failure` (a NO_SUCH_... code), the command runs once more after the
  // store's change feed is read. False when it is answered as it is.
  bool RetryAfterCatchUp(const core::Failure& failure);

  size_t slot = 0;      // position in the host's list of sessions (the host's to use)
  Via via = Via::kTcp;  // how the client connected (for /metrics)

 private:
  void SendError(std::string_view tag, std::string_view verb, protocol::Code code);

  SessionHost& host_;
  net::Transport* transport_ = nullptr;
  core::Session session_;
  std::string tag_;        // of the command in flight
  std::string_view verb_;  // names in the static verb table
  bool busy_ = false;
  bool ending_ = false;        // BYE sent (or about to be)
  bool too_slow_ = false;      // queued events passed the limit; ending soon
  bool rate_limited_ = false;  // has been told RATE_LIMITED (logged once)
  core::TokenBucket commands_;
  // The command in flight, kept only on a node of several (RetryAfterCatchUp).
  struct Again;
  std::unique_ptr<Again> again_;
};

}  // namespace caucus::session
