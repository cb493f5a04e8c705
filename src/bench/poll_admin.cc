#include "bench/poll_admin.h"

#include "bench/line_words.h"
#include "protocol/line_builder.h"

namespace caucus::bench {

using protocol::LineBuilder;

PollAdmin::PollAdmin(EventLoop& loop, Endpoints endpoints, std::unique_ptr<ProtocolAdapter> adapter,
                     int64_t polls)
    : Client(loop, endpoints, std::move(adapter)), polls_(polls) {}

void PollAdmin::Begin() {
  if (polls_ <= 0) {
    done_ = true;
    return;
  }
  CreateNext();
}

void PollAdmin::CreateNext() {
  std::string line;
  LineBuilder(line)
      .Word("POLLNEW")
      .Word("-")
      .Word("+3600")
      .Word("-")
      .Trailing("caucus-bench poll " + std::to_string(poll_ids_.size() + 1))
      .End();
  SendRaw(line);
  pending_ = 1;
}

void PollAdmin::OnReply(std::string_view line) {
  if (done_) return;
  if (NthWord(line, 1) == "POLLNEW") {
    const std::string id(NthWord(line, 2));
    poll_ids_.push_back(id);
    std::string lines;
    LineBuilder(lines).Word("POLLOPTION").Word(id).Trailing("yes").End();
    LineBuilder(lines).Word("POLLOPTION").Word(id).Trailing("no").End();
    LineBuilder(lines).Word("POLLOPEN").Word(id).End();
    SendRaw(lines);
    pending_ = 3;
    return;
  }
  if (--pending_ > 0) return;
  if (static_cast<int64_t>(poll_ids_.size()) < polls_) {
    CreateNext();
  } else {
    done_ = true;
  }
}

void PollAdmin::OnError(std::string_view line) {
  Client::OnError(line);
  if (done_) return;
  unsupported_ = NthWord(line, 1) == "POLLNEW" && NthWord(line, 2) == "UNKNOWN_COMMAND";
  failure_ = std::string(line);
  done_ = true;
}

void PollAdmin::OnLost(std::string_view why) {
  Client::OnLost(why);
  if (done_) return;
  failure_ = std::string(why);
  done_ = true;
}

}  // namespace caucus::bench
