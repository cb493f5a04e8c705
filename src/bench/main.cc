#include "bench/main.h"

#include <arpa/inet.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "bench/account_pool.h"
#include "bench/context.h"
#include "bench/dm.h"
#include "bench/fanout.h"
#include "bench/idle.h"
#include "bench/login.h"
#include "bench/prepare.h"
#include "bench/source_address.h"
#include "bench/spread.h"
#include "bench/vote.h"

namespace caucus::bench {
namespace {

struct GlobalOptions {
  std::string protocol = "caucus";
  std::string host = "127.0.0.1";
  std::vector<int> ports = {5545};
  bool json = false;
  std::string accounts_file;
  std::string password = "caucus-bench-password";
};

void AddGlobalOptions(CLI::App& app, GlobalOptions* g, BenchContext* ctx) {
  app.add_option("--protocol", g->protocol, "caucus, irc or nats")
      ->check(CLI::IsMember({"caucus", "irc", "nats"}))
      ->capture_default_str();
  app.add_option("--host", g->host, "Server's IPv4 address")->capture_default_str();
  app.add_option("--port,--ports", g->ports,
                 "Server's port; repeated or a comma-separated list, the nodes of a cluster: "
                 "connection i goes to port i mod n")
      ->check(CLI::Range(1, 65535))
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--server-pid", ctx->server_pids,
                 "Server's pid, for its CPU time and memory (read from /proc); repeated, "
                 "summed and also given per pid (one per --port, in order: per node)")
      ->check(CLI::PositiveNumber)
      ->delimiter(',');
  app.add_option("--threads", ctx->threads, "Event loops, one thread each")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--timeout", ctx->timeout_s, "Seconds each phase of a run may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--in-flight", ctx->in_flight, "Handshakes in flight per loop while connecting")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--per-source", ctx->per_source,
                 "Connections per loopback source address past which 127.0.0.2, .3, ... are used")
      ->check(CLI::Range(1000, 1000000))
      ->capture_default_str();
  app.add_option("--name-prefix", ctx->name_prefix, "Users are named <prefix><n>")
      ->capture_default_str();
  app.add_option("--accounts-file", g->accounts_file,
                 "Caucus: session tokens kept between runs ('name token' lines)");
  app.add_option("--password", g->password, "Caucus: the bench accounts' password")
      ->capture_default_str();
  app.add_flag("--json", g->json, "Print one JSON object instead of key=value pairs");
}

using Run = std::function<Report(const BenchContext&)>;

void AddWorkloads(CLI::App& app, Run* run) {
  auto fanout = std::make_shared<FanoutOptions>();
  auto* f = app.add_subcommand("fanout", "Broadcast to R clients; deliveries per second, latency");
  f->add_option("--clients", fanout->clients, "R: clients, senders and the probe included")
      ->check(CLI::Range(int64_t{2}, int64_t{1'000'000}))
      ->capture_default_str();
  f->add_option("--senders", fanout->senders, "S")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  f->add_option("--messages", fanout->messages, "M per sender")
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}))
      ->capture_default_str();
  f->add_option("--window", fanout->window, "W: messages a sender runs ahead of the probe")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  f->add_option("--size", fanout->size, "Bytes of message text")
      ->check(CLI::Range(32, 4000))
      ->capture_default_str();
  f->add_option("--repeat", fanout->repeat, "Measured runs; the median is reported")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  f->callback(
      [=] { *run = [=](const BenchContext& c) { return RunFanout(c, *fanout, "fanout"); }; });

  auto latency = std::make_shared<FanoutOptions>(FanoutOptions{.senders = 1, .window = 1});
  auto* l = app.add_subcommand("latency", "Fanout with one sender and a window of 1");
  l->add_option("--clients", latency->clients, "Clients, the sender and the probe included")
      ->check(CLI::Range(int64_t{2}, int64_t{1'000'000}))
      ->capture_default_str();
  l->add_option("--messages", latency->messages, "Messages")
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}))
      ->capture_default_str();
  l->add_option("--size", latency->size, "Bytes of message text")
      ->check(CLI::Range(32, 4000))
      ->capture_default_str();
  l->add_option("--repeat", latency->repeat, "Measured runs; the median is reported")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  l->callback(
      [=] { *run = [=](const BenchContext& c) { return RunFanout(c, *latency, "latency"); }; });

  auto dm = std::make_shared<DmOptions>();
  auto* d = app.add_subcommand("dm", "Pairs exchanging direct messages; round trip, messages/s");
  d->add_option("--pairs", dm->pairs, "P")->check(CLI::Range(1, 500000))->capture_default_str();
  d->add_option("--rounds", dm->rounds, "Round trips per pair")
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}))
      ->capture_default_str();
  d->add_option("--size", dm->size, "Bytes of message text")
      ->check(CLI::Range(32, 4000))
      ->capture_default_str();
  auto pairs_on = std::make_shared<std::string>();
  d->add_option("--pairs-on", *pairs_on,
                "With several ports: both members of a pair on one server (same), or on two "
                "(across); default: by index, as every connection")
      ->check(CLI::IsMember({"same", "across"}));
  d->callback([=] {
    if (!pairs_on->empty()) dm->pairs_on = *ParsePairsOn(*pairs_on);
    *run = [=](const BenchContext& c) { return RunDm(c, *dm); };
  });

  auto idle = std::make_shared<IdleOptions>();
  auto* i = app.add_subcommand("idle", "K idle sessions; the server's RSS per session");
  i->add_option("--sessions", idle->sessions, "K")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}))
      ->capture_default_str();
  i->add_option("--accounts", idle->accounts,
                "Caucus: distinct accounts, round robin (0 = one per session)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  i->add_option("--hold", idle->hold_s, "Seconds to hold the sessions before reading RSS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  i->callback([=] { *run = [=](const BenchContext& c) { return RunIdle(c, *idle); }; });

  auto login = std::make_shared<LoginOptions>();
  auto* g = app.add_subcommand("login", "LOGIN/s and RESUME/s (peers: registrations/s)");
  g->add_option("--concurrency", login->concurrency, "C")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  g->add_option("--duration", login->duration_s, "Seconds per phase")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  g->add_option("--accounts", login->accounts, "Caucus: accounts used, round robin")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}))
      ->capture_default_str();
  g->callback([=] { *run = [=](const BenchContext& c) { return RunLogin(c, *login); }; });

  auto vote = std::make_shared<VoteOptions>();
  auto* v = app.add_subcommand("vote", "Durable acknowledged votes per second (Caucus)");
  v->add_option("--voters", vote->voters, "C")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  v->add_option("--polls", vote->polls, "Polls each voter votes in")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  v->add_option("--admin", vote->admin, "Admin account that creates the polls")
      ->capture_default_str();
  v->add_option("--settle", vote->settle_s,
                "Seconds to wait between creating the polls and the first vote (a cluster's "
                "other nodes load the new polls meanwhile)")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  v->callback([=] { *run = [=](const BenchContext& c) { return RunVote(c, *vote); }; });

  auto accounts = std::make_shared<int64_t>(1000);
  auto* p =
      app.add_subcommand("prepare", "Caucus: register and log in accounts, keep their tokens");
  p->add_option("--accounts", *accounts, "Accounts 0..N-1")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}))
      ->capture_default_str();
  p->callback([=] { *run = [=](const BenchContext& c) { return RunPrepare(c, *accounts); }; });
}

bool StatusOk(const Report& report) {
  const std::string* status = report.FindText("status");
  return status != nullptr && (*status == "ok" || *status == "unsupported");
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app(
      "caucus-bench: load generator for caucusd, and for IRC and NATS servers to compare with.\n"
      "Prints one line of key=value figures per run (or JSON with --json).");
  app.require_subcommand(1);
  GlobalOptions g;
  BenchContext ctx;
  Run run;
  AddGlobalOptions(app, &g, &ctx);
  AddWorkloads(app, &run);
  CLI11_PARSE(app, argc, argv);

  ctx.protocol = *ParseProtocol(g.protocol);
  for (int port : g.ports) {
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<uint16_t>(port));
    if (::inet_pton(AF_INET, g.host.c_str(), &server.sin_addr) != 1) {
      std::cerr << "caucus-bench: --host " << g.host << ": not an IPv4 address\n";
      return 2;
    }
    ctx.servers.push_back(server);
  }
  RaiseFileLimit();

  std::optional<AccountPool> pool;
  if (ctx.protocol == Protocol::kCaucus) {
    pool.emplace(ctx.name_prefix, g.password);
    std::string why;
    if (!g.accounts_file.empty() && !pool->Load(g.accounts_file, &why)) {
      std::cerr << "caucus-bench: " << why << "\n";
      return 2;
    }
    ctx.accounts = &*pool;
  }

  const Report report = run(ctx);
  std::cout << (g.json ? report.Json() : report.KeyValueLine()) << std::endl;

  if (pool && !g.accounts_file.empty()) {
    std::string why;
    if (!pool->Save(g.accounts_file, &why)) std::cerr << "caucus-bench: " << why << "\n";
  }
  return StatusOk(report) ? 0 : 1;
}

}  // namespace caucus::bench
