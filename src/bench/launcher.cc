#include "bench/launcher.h"

#include <memory>

namespace caucus::bench {

Launcher::Launcher(std::vector<Client*> clients, int in_flight)
    : clients_(std::move(clients)), in_flight_(in_flight) {}

void Launcher::Begin() {
  for (int i = 0; i < in_flight_ && next_ < clients_.size(); ++i) StartNext();
}

void Launcher::StartNext() {
  if (next_ < clients_.size()) clients_[next_++]->Start(this);
}

void Launcher::OnSettled(Client& client, bool ready) {
  if (ready) {
    ++ready_;
  } else {
    ++failed_;
    if (first_failure_.empty()) first_failure_ = client.last_error();
  }
  StartNext();
}

LaunchResult LaunchAll(Fleet& fleet, const std::vector<std::vector<Client*>>& clients_by_loop,
                       int in_flight, int64_t deadline_ns) {
  std::vector<std::unique_ptr<Launcher>> launchers;
  for (const auto& clients : clients_by_loop) {
    launchers.push_back(std::make_unique<Launcher>(clients, in_flight));
    launchers.back()->Begin();
  }
  fleet.Run([&](int i) { return launchers[i]->done(); }, deadline_ns);
  LaunchResult r;
  for (size_t i = 0; i < launchers.size(); ++i) {
    const Launcher& l = *launchers[i];
    r.ready += l.ready();
    r.failed += l.failed() + (clients_by_loop[i].size() - l.ready() - l.failed());
    if (r.first_failure.empty()) r.first_failure = l.first_failure();
  }
  if (r.failed > 0 && r.first_failure.empty()) r.first_failure = "not ready before the deadline";
  return r;
}

bool SyncAll(Fleet& fleet, const std::vector<std::vector<Client*>>& clients_by_loop,
             int64_t deadline_ns) {
  std::vector<std::vector<int64_t>> before(clients_by_loop.size());
  for (size_t i = 0; i < clients_by_loop.size(); ++i) {
    for (Client* c : clients_by_loop[i]) {
      before[i].push_back(c->pongs());
      c->Ping();
    }
  }
  // Each loop scans its clients once in all: a client that answered stays answered.
  std::vector<size_t> answered(clients_by_loop.size(), 0);
  return fleet.Run(
      [&](int i) {
        const auto& clients = clients_by_loop[i];
        size_t& k = answered[i];
        while (k < clients.size() && clients[k]->pongs() != before[i][k]) ++k;
        return k == clients.size();
      },
      deadline_ns);
}

}  // namespace caucus::bench
