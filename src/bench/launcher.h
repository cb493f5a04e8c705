// Launcher: brings many clients online with a bounded number of handshakes
// in flight (a burst of thousands of SYNs overflows a server's listen
// backlog, and a burst of password hashes outlasts its handshake timeout).
//
// Thread-safety: one Launcher per event loop; it runs on that loop.
#pragma once

#include <string>
#include <vector>

#include "bench/client.h"
#include "bench/fleet.h"

namespace caucus::bench {

class Launcher : public Client::SetupObserver {
 public:
  // REQUIRES: in_flight >= 1; the clients outlive the launcher's run.
  Launcher(std::vector<Client*> clients, int in_flight);

  // Starts the first handshakes; each settled one starts the next.
  void Begin();

  bool done() const { return ready_ + failed_ == clients_.size(); }
  size_t ready() const { return ready_; }
  size_t failed() const { return failed_; }
  const std::string& first_failure() const { return first_failure_; }

 private:
  void OnSettled(Client& client, bool ready) override;
  void StartNext();

  std::vector<Client*> clients_;
  int in_flight_;
  size_t next_ = 0;
  size_t ready_ = 0;
  size_t failed_ = 0;
  std::string first_failure_;
};

struct LaunchResult {
  size_t ready = 0;
  size_t failed = 0;
  std::string first_failure;  // empty when none failed
  bool ok() const { return failed == 0 && first_failure.empty(); }
};

// Launches clients_by_loop[i] on the fleet's loop i, all loops at once,
// and waits until every client is settled or the deadline passes.
LaunchResult LaunchAll(Fleet& fleet, const std::vector<std::vector<Client*>>& clients_by_loop,
                       int in_flight, int64_t deadline_ns);

// Pings every client and waits for every answer: afterwards nothing the
// server queued before the pings is still in flight (for a server that
// answers each connection in order), e.g. the presence events of setup.
bool SyncAll(Fleet& fleet, const std::vector<std::vector<Client*>>& clients_by_loop,
             int64_t deadline_ns);

}  // namespace caucus::bench
