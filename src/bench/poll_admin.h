// PollAdmin: an admin's connection that creates and opens the polls of the
// vote workload, one at a time: POLLNEW, then two POLLOPTIONs and POLLOPEN
// pipelined once the poll's id is known.
#pragma once

#include <string>
#include <vector>

#include "bench/client.h"

namespace caucus::bench {

class PollAdmin final : public Client {
 public:
  PollAdmin(EventLoop& loop, Endpoints endpoints, std::unique_ptr<ProtocolAdapter> adapter,
            int64_t polls);

  // Starts creating the polls. REQUIRES: ready().
  void Begin();

  // True once every poll is open, or something failed.
  bool done() const { return done_; }
  // The server has no polls (POLLNEW is an unknown command).
  bool unsupported() const { return unsupported_; }
  // The first error reply, or empty.
  const std::string& failure() const { return failure_; }
  const std::vector<std::string>& poll_ids() const { return poll_ids_; }

 private:
  void CreateNext();
  void OnReply(std::string_view line) override;
  void OnError(std::string_view line) override;
  void OnLost(std::string_view why) override;

  int64_t polls_;
  std::vector<std::string> poll_ids_;
  int pending_ = 0;  // replies still awaited for the current poll
  bool done_ = false;
  bool unsupported_ = false;
  std::string failure_;
};

}  // namespace caucus::bench
