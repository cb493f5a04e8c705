#include "session/reply.h"

namespace caucus::session {

std::string& Reply::Scratch() { return protocol::ScratchLine<0>(); }

void AppendError(std::string& out, std::string_view tag, std::string_view verb,
                 const core::Failure& failure) {
  protocol::LineBuilder b(out, tag);
  b.Word("ERR").Word(verb).Word(protocol::CodeName(failure.code));
  for (const auto& p : failure.params) b.Word(p);
  b.Trailing(failure.text.empty() ? protocol::CodeText(failure.code) : failure.text).End();
}

void Reply::Fail(const core::Failure& failure) const {
  if (s_->RetryAfterCatchUp(failure)) return;
  std::string& buf = Scratch();
  AppendError(buf, s_->tag(), s_->verb(), failure);
  s_->Complete(buf, failure.bye, false);
}

}  // namespace caucus::session
