// Reply: how a command handler answers. Copyable (it travels through the
// domain's callbacks); every copy stands for the same command. A reply is
// built whole, data lines then the final line, and sent as one unit, so no
// event can fall between its lines.
//
//   r.Ok([&](auto& b) { b.Int(number).Time(t); });        // OK POST 7 2026-...
//   r.Lines([&](ReplyLines& out) {
//     for (...) out.Data().Word("BLOCKED").Word(name).End();
//     out.Ok().Int(count).End();
//   });
//   r.Fail(failure);                                      // ERR VERB CODE ... :text
#pragma once

#include <memory>

#include "core/outcome.h"
#include "core/session.h"
#include "protocol/line_builder.h"
#include "session/client_session.h"
#include "session/session_host.h"

namespace caucus::session {

class ReplyLines {
 public:
  ReplyLines(std::string& buf, const ClientSession& s) : buf_(buf), s_(s) {}
  // A data line, tagged like the command.
  protocol::LineBuilder Data() { return protocol::LineBuilder(buf_, s_.tag()); }
  // The final line: "OK <VERB>" and the parameters the caller adds.
  protocol::LineBuilder Ok() {
    protocol::LineBuilder b(buf_, s_.tag());
    b.Word("OK").Word(s_.verb());
    return b;
  }

 private:
  std::string& buf_;
  const ClientSession& s_;
};

class Reply {
 public:
  explicit Reply(std::shared_ptr<ClientSession> s) : s_(std::move(s)) {}

  std::shared_ptr<core::Session> session() const { return s_->session(); }
  core::Caucus& caucus() const { return s_->host().caucus(); }
  ClientSession& client() const { return *s_; }
  core::Session& state() const { return s_->state(); }

  // A bare "OK <VERB>".
  void Ok() const {
    Lines([](ReplyLines& out) { out.Ok().End(); });
  }
  // "OK <VERB>" and the parameters `params(LineBuilder&)` adds.
  template <class Fn>
  void Ok(Fn&& params) const {
    Lines([&](ReplyLines& out) {
      auto b = out.Ok();
      params(b);
      b.End();
    });
  }
  // Data lines and the final line, built by `build(ReplyLines&)`.
  template <class Fn>
  void Lines(Fn&& build, bool hold = false) const {
    std::string& buf = Scratch();
    ReplyLines out(buf, *s_);
    build(out);
    s_->Complete(buf, std::nullopt, hold);
  }
  void Fail(const core::Failure& failure) const;

 private:
  static std::string& Scratch();
  std::shared_ptr<ClientSession> s_;
};

// The ERR line for `failure` answering `verb` (tagged with `tag`).
void AppendError(std::string& out, std::string_view tag, std::string_view verb,
                 const core::Failure& failure);

}  // namespace caucus::session
