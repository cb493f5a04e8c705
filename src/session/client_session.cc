#include "session/client_session.h"

#include <spdlog/spdlog.h>

#include "core/caucus.h"
#include "protocol/command.h"
#include "protocol/line_builder.h"
#include "session/dispatch.h"
#include "session/session_host.h"

namespace caucus::session {

struct ClientSession::Again {
  protocol::Command cmd;
  const Verb* verb = nullptr;
  bool retried = false;
  uint64_t published = 0;  // the cluster's count of events when the command came
};

ClientSession::~ClientSession() = default;

using protocol::Bye;
using protocol::Code;

namespace {

struct Ending {
  const char* why;  // for the login history
  bool revoke;      // the session's token dies too
};

Ending EndingFor(Bye reason) {
  switch (reason) {
    case Bye::kLogout:
      return {"logout", true};
    case Bye::kIdleTimeout:
      return {"idle-timeout", true};
    case Bye::kLocked:
      return {"locked", true};
    case Bye::kReplaced:
      return {"replaced", true};
    case Bye::kTooSlow:
      return {"too-slow", false};
    case Bye::kShutdown:
      return {"shutdown", false};
    default:
      return {"closed", false};
  }
}

protocol::SharedLine ByeLine(Bye reason) {
  std::string line;
  protocol::LineBuilder(line)
      .Word("BYE")
      .Word(protocol::ByeName(reason))
      .Trailing(protocol::ByeText(reason))
      .End();
  return protocol::SharedLine::Copy(line);
}

}  // namespace

ClientSession::ClientSession(SessionHost& host, uint64_t id, std::string address) : host_(host) {
  session_.id = id;
  session_.address = std::move(address);
  session_.peer = this;
}

void ClientSession::OnOpen(net::Transport* transport) {
  CAUCUS_ASSERT_IN_LOOP(host_.caucus().world().loop_thread);
  transport_ = transport;
  host_.Opened(this);
  std::string hello;
  protocol::LineBuilder(hello)
      .Word("HELLO")
      .Word("caucus/1")
      .Word(host_.caucus().world().config.server_name)
      .Trailing("Caucus: chat and votes. REGISTER <name> <password>, then LOGIN <name> <password>.")
      .End();
  transport_->Send(protocol::SharedLine::Copy(hello));
}

void ClientSession::SendError(std::string_view tag, std::string_view verb, Code code) {
  std::string line;
  AppendError(line, tag, verb, core::Fail(code));
  transport_->Send(protocol::SharedLine::Copy(line));
}

bool ClientSession::OnFrame(const protocol::LineFramer::Frame& frame) {
  CAUCUS_ASSERT_IN_LOOP(host_.caucus().world().loop_thread);
  if (ending_ || transport_ == nullptr) return true;  // nothing is answered after a BYE
  if (frame.kind == protocol::LineFramer::Kind::kTooLong) {
    SendError({}, "-", Code::kLineTooLong);
    return true;
  }
  protocol::Command cmd;
  switch (protocol::ParseCommand(frame.line, &cmd)) {
    case protocol::ParseStatus::kEmpty:
      return true;
    case protocol::ParseStatus::kBadEncoding:
      SendError({}, "-", Code::kBadEncoding);
      return true;
    case protocol::ParseStatus::kBadTag:
      SendError({}, "-", Code::kBadArguments);
      return true;
    case protocol::ParseStatus::kNoVerb:
      SendError(cmd.tag, "-", Code::kBadArguments);
      return true;
    case protocol::ParseStatus::kOk:
      break;
  }
  const auto& o = host_.limits();
  if (!commands_.Take(host_.caucus().world().clock.Now(), o.commands_per_second, o.command_burst)) {
    if (!rate_limited_) {
      spdlog::warn("s{} {} sends commands too fast", session_.id, session_.address);
      rate_limited_ = true;
    }
    SendError(cmd.tag, cmd.verb, Code::kRateLimited);
    return true;
  }
  const Verb* verb = FindVerb(cmd.verb);
  if (verb == nullptr) {
    SendError(cmd.tag, cmd.verb, Code::kUnknownCommand);
    return true;
  }
  if (auto* cluster = host_.caucus().world().cluster; cluster && session_.logged_in()) {
    cluster->Awake();
    if (ending_) return true;  // fenced: this session's BYE is on its way
  }
  if (verb->name != "PING" && session_.logged_in()) host_.Active(this);
  if (verb->access != Access::kAnyone && !session_.logged_in()) {
    SendError(cmd.tag, verb->name, Code::kNotLoggedIn);
    return true;
  }
  if (verb->access == Access::kAdmin && !session_.account->admin) {
    SendError(cmd.tag, verb->name, Code::kNotAdmin);
    return true;
  }
  if (cmd.params.size() < verb->min_params || cmd.params.size() > verb->max_params) {
    SendError(cmd.tag, verb->name, Code::kBadArguments);
    return true;
  }
  busy_ = true;
  tag_ = std::move(cmd.tag);
  verb_ = verb->name;
  auto self = shared_from_this();
  if (host_.caucus().world().cluster != nullptr) {
    if (!again_) again_ = std::make_unique<Again>();
    *again_ = Again{cmd, verb, false, host_.caucus().world().cluster->published()};
  }
  verb->handler(cmd, Reply(self));
  return !busy_;
}

bool ClientSession::RetryAfterCatchUp(const core::Failure& failure) {
  using protocol::Code;
  if (!again_ || again_->verb == nullptr || again_->retried) return false;
  const Code c = failure.code;
  if (c != Code::kNoSuchUser && c != Code::kNoSuchPoll && c != Code::kNoSuchPost &&
      c != Code::kNoSuchOption) {
    return false;
  }
  again_->retried = true;
  host_.caucus().feed().CatchUp([self = shared_from_this()] {
    if (!self->busy_ || !self->again_ || self->transport_ == nullptr) return;
    protocol::Command cmd = self->again_->cmd;
    self->again_->verb->handler(cmd, Reply(self));
  });
  return true;
}

void ClientSession::Complete(std::string_view reply, std::optional<Bye> bye, bool hold) {
  core::Cluster* cluster = host_.caucus().world().cluster;
  // A command that told other nodes something (a login, ports, a block, a
  // poll opened...) is answered once they have it, so that the client's
  // next command sees it whichever node it reaches. (LOGIN and RESUME,
  // which hold the session for the stored messages, wait in the domain.)
  if (busy_ && cluster && !hold && again_ && cluster->published() != again_->published) {
    again_->published = cluster->published();
    cluster->Sync([self = shared_from_this(), copy = std::string(reply), bye, hold] {
      self->CompleteNow(copy, bye, hold);
    });
    return;
  }
  CompleteNow(reply, bye, hold);
}

void ClientSession::CompleteNow(std::string_view reply, std::optional<Bye> bye, bool hold) {
  if (!busy_) {
    spdlog::error("s{} a second reply to {} was dropped", session_.id, verb_);
    return;
  }
  auto self = shared_from_this();
  if (transport_ && !ending_) transport_->Send(protocol::SharedLine::Copy(reply));
  if (bye) {
    busy_ = false;
    End(*bye);
    return;
  }
  if (!hold) Release();
}

void ClientSession::Release() {
  busy_ = false;
  if (transport_ && !ending_) transport_->ResumeInput();
}

void ClientSession::Deliver(const protocol::SharedLine& event) {
  CAUCUS_ASSERT_IN_LOOP(host_.caucus().world().loop_thread);
  if (transport_ == nullptr || ending_ || too_slow_) return;
  if (transport_->Queued() + event.size() > host_.limits().send_queue) {
    // Ending now could disturb the caller's loop over sessions: end soon.
    too_slow_ = true;
    ++host_.metrics().too_slow;
    spdlog::warn("s{} {} reads too slowly: {} bytes queued", session_.id, session_.address,
                 transport_->Queued());
    host_.Post([self = shared_from_this()] { self->End(Bye::kTooSlow); });
    return;
  }
  transport_->Send(event);
}

void ClientSession::End(Bye reason) {
  CAUCUS_ASSERT_IN_LOOP(host_.caucus().world().loop_thread);
  if (transport_ == nullptr || ending_) return;
  auto self = shared_from_this();
  ending_ = true;
  const Ending e = EndingFor(reason);
  auto bye = [self, reason] {
    net::Transport* t = self->transport_;
    if (t == nullptr) return;
    if (reason == Bye::kTooSlow) {
      t->Abort(ByeLine(reason));
    } else {
      t->Send(ByeLine(reason));
      t->CloseAfterFlush();
    }
  };
  if (e.revoke && host_.caucus().world().cluster != nullptr) {
    // With several nodes the BYE waits for the token's revocation: the
    // client's next RESUME may reach another node, which asks the store.
    host_.caucus().EndSession(session_, e.why, true, bye);
    return;
  }
  host_.caucus().EndSession(session_, e.why, e.revoke);
  bye();
}

void ClientSession::Disconnect() {
  if (transport_) transport_->Close();
}

void ClientSession::OnClosed() {
  CAUCUS_ASSERT_IN_LOOP(host_.caucus().world().loop_thread);
  auto self = shared_from_this();
  transport_ = nullptr;
  host_.caucus().EndSession(session_, "dropped", false);
  host_.Closed(this);
}

}  // namespace caucus::session
