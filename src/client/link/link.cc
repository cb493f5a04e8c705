#include "client/link/link.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>

#include "client/input/signals.h"

namespace caucus::client {
namespace {

using Clock = std::chrono::steady_clock;

int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

bool Link::Connect(const Endpoint& endpoint, Line* hello, std::string* error) {
  Close();
  endpoint_ = endpoint;
  bye_.clear();
  signals::Drain();  // only signals from now on cut the wait short
  conn_ =
      Connection::Open(endpoint, reply_timeout_, signals::WakeFd(), error, &certificate_refused_);
  if (!conn_) return false;
  const auto deadline = Clock::now() + reply_timeout_;
  // A server that says nothing for a while may not be a Caucus server at
  // all (an HTTP port waits for a request): a HELLO makes it say something.
  auto probe_at = Clock::now() + kProbeAfter;
  probe_tag_.clear();
  while (true) {
    if (auto line = conn_->NextLine()) {
      Received r = session_.Receive(*line);
      if (r.kind == Received::Kind::kEvent && r.event.verb == "HELLO") {
        *hello = std::move(r.event);
        return true;
      }
      if (r.kind == Received::Kind::kEvent && r.event.verb == "BYE") {
        bye_ = r.event.Param(0);
        sink_.OnEvent(r.event);
        *error = "the server at " + endpoint.Key() + " closed the connection";
      } else if (line->rfind("HTTP/", 0) == 0) {
        *error = endpoint.Key() +
                 " speaks HTTP, not the chat protocol: it may be caucusd's web page (open "
                 "http://" +
                 endpoint.Key() +
                 "/ in a browser); the chat port is 5545 unless the server "
                 "says otherwise";
      } else {
        *error = endpoint.Key() + " is not a Caucus server (it said: " + *line + ")";
      }
      Close();
      return false;
    }
    if (probe_tag_.empty() && Clock::now() >= probe_at) {
      std::string bytes;
      probe_tag_ = session_.Submit({"HELLO", {"caucus-client"}, std::nullopt}, &bytes);
      if (!conn_->Write(bytes)) probe_tag_.clear();
      probe_at = deadline;
    }
    const auto wake = probe_tag_.empty() ? std::min(probe_at, deadline) : deadline;
    if (ended_ || signals::QuitRequested() || !Wait(MillisLeft(wake))) {
      if (!ended_ && !signals::QuitRequested() && Clock::now() < deadline) continue;
      *error = ended_ ? "the server at " + endpoint.Key() + " closed the connection"
                      : "no greeting from " + endpoint.Key();
      Close();
      return false;
    }
    Read();
  }
}

bool Link::Wait(int timeout_ms) {
  pollfd p[2] = {{conn_->fd(), POLLIN, 0}, {signals::WakeFd(), POLLIN, 0}};
  int n;
  while ((n = ::poll(p, 2, timeout_ms)) < 0 && errno == EINTR) {
  }
  if (p[1].revents & POLLIN) signals::Drain();
  return n > 0;
}

void Link::Read() {
  if (!ended_ && !conn_->Read()) ended_ = true;
}

std::optional<Reply> Link::Dispatch(const std::string& line) {
  Received r = session_.Receive(line);
  switch (r.kind) {
    case Received::Kind::kNothing:
      break;
    case Received::Kind::kEvent:
      if (r.event.verb == "BYE") bye_ = r.event.Param(0);
      sink_.OnEvent(r.event);
      break;
    case Received::Kind::kReply:
      return std::move(r.reply);
    case Received::Kind::kUnexpected:
      sink_.OnUnexpected(r.line);
      break;
  }
  return std::nullopt;
}

std::optional<Reply> Link::Drain(const std::string& tag) {
  while (conn_) {
    auto line = conn_->NextLine();
    if (!line) return std::nullopt;
    auto reply = Dispatch(*line);
    if (!reply) continue;
    if (!probe_tag_.empty() && reply->tag == probe_tag_) {
      probe_tag_.clear();  // the answer to Connect()'s HELLO: nobody waits for it
      continue;
    }
    if (!tag.empty() && reply->tag == tag) return reply;
    sink_.OnLateReply(*reply);
  }
  return std::nullopt;
}

CallResult Link::Call(const Request& request) {
  const auto redial = [this] {
    Line hello;
    std::string error;
    return bye_ == "HANDSHAKE_TIMEOUT" && Connect(endpoint_, &hello, &error);
  };
  if (!conn_) redial();
  CallResult result = Exchange(request);
  if (result.status == CallResult::Status::kLost && redial()) result = Exchange(request);
  return result;
}

CallResult Link::Exchange(const Request& request) {
  CallResult result;
  if (!conn_) return result;
  std::string bytes;
  const std::string tag = session_.Submit(request, &bytes);
  if (tag.empty()) {
    result.status = CallResult::Status::kUnsendable;
    return result;
  }
  if (!conn_->Write(bytes)) {
    Read();  // a BYE may say why
    Drain({});
    Close();
    return result;
  }
  const auto deadline = Clock::now() + reply_timeout_;
  while (true) {
    if (auto reply = Drain(tag)) {
      result.status = CallResult::Status::kOk;
      result.reply = std::move(*reply);
      return result;
    }
    if (ended_) break;
    if (signals::QuitRequested()) {
      result.status = CallResult::Status::kInterrupted;
      return result;
    }
    if (!Wait(MillisLeft(deadline))) break;
    Read();
  }
  Close();
  return result;
}

bool Link::Service() {
  if (!conn_) return false;
  Read();
  Drain({});
  if (ended_) Close();
  return connected();
}

void Link::Close() {
  probe_tag_.clear();
  conn_.reset();
  ended_ = false;
  session_.Reset();
}

}  // namespace caucus::client
