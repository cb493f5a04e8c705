// The vote workload (Caucus only): durable, acknowledged votes per second.
//
// An admin account creates P polls of two options and opens them
// (POLLNEW, POLLOPTION, POLLOPEN); then V voters each vote once in every
// poll, one VOTE in flight per voter (after `settle_s`, when given). OK
// VOTE is sent only once the ballot is durable, so this measures the
// store's group commit. A server without polls (POLLNEW answered
// UNKNOWN_COMMAND) is reported as unsupported.
#pragma once

#include <cstdint>
#include <string>

#include "bench/context.h"
#include "bench/report.h"

namespace caucus::bench {

struct VoteOptions {
  int64_t voters = 100;
  int64_t polls = 20;
  std::string admin = "bench-admin";  // an admin account with the pool's password
  // Seconds between the polls' creation and the first vote: on a cluster
  // the other nodes learn of each new poll from the change feed, work that
  // belongs to the polls' creation, not to the votes.
  double settle_s = 0;
};

// REQUIRES: voters >= 1, polls >= 1.
Report RunVote(const BenchContext& ctx, const VoteOptions& options);

}  // namespace caucus::bench
