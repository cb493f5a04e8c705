// Failures of a cluster under load (issue 18, "Tests"): three caucusd nodes
// on one PostgreSQL and a NATS bus, on loopback, with HAProxy in front.
// Forty accounts, spread over the nodes, vote and exchange direct messages
// in twenty pairs whose two sides start on different nodes, while a node is
// killed, the bus or the database goes away, or a node is paused past its
// TTL; a client whose connection ends comes back through HAProxy and
// RESUMEs with its token. Whatever happens, nothing acknowledged is lost or
// counted twice, and presence comes right on every node.
//
// Every wait has a deadline well past what it waits for (the TTL, plus a
// margin for a loaded machine); no test measures speed.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bus/testing/nats_server.h"
#include "haproxy.h"
#include "harness.h"
#include "store/testing/temp_postgres.h"

namespace caucus::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using store::testing::TempPostgres;

constexpr int kNodes = 3;
constexpr int kPairs = 20;
constexpr int kAccounts = 2 * kPairs;  // every one of them votes too
constexpr int kOptions = 3;
constexpr int kTtlSeconds = 3;  // --node-ttl
constexpr auto kTtl = std::chrono::seconds(kTtlSeconds);
// Added to the TTL where the test waits for the cluster to notice a
// failure: the beat period and a loaded machine (two cores for three
// nodes, PostgreSQL, NATS, HAProxy and the test). A deadline, not a goal.
constexpr auto kMargin = 12s;
// A reply may wait for a paused node or for the database to come back.
constexpr auto kReplyTimeout = 30s;
const std::string kPassword = "password-123";
const std::string kAdminPassword = "admin-password-1";

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The option account `a` chooses in poll `p`.
int OptionOf(int a, int p) { return 1 + (a + p) % kOptions; }

// Reads what `c` receives for `wait` into its events(); false if the
// connection ended.
bool Pump(LineClient& c, std::chrono::milliseconds wait) {
  const auto until = Clock::now() + wait;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return true;
    try {
      auto line = c.ReadLine(left);
      if (!line) return false;
      c.events().push_back(*line);
    } catch (const std::runtime_error&) {
      return true;  // nothing more within `wait`
    }
  }
}

// Column 0 of every row of `sql` on `url`, or the error as one row.
std::vector<std::string> Column(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::vector<std::string> out;
  if (PQstatus(conn) != CONNECTION_OK) {
    out.push_back(PQerrorMessage(conn));
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(r); ++i) out.emplace_back(PQgetvalue(r, i, 0));
    } else {
      out.push_back(PQresultErrorMessage(r));
    }
    PQclear(r);
  }
  PQfinish(conn);
  return out;
}

enum class Ballot { kNone, kInDoubt, kAcked, kAlreadyVoted };

// One command of the load and what came of it: "OK", the error code, or
// "CUT" when the connection ended (or the reply never came).
struct CommandRecord {
  int account;
  std::string verb;
  Clock::time_point sent;
  Clock::time_point answered;
  std::string result;
};

// A connection that ended under its client.
struct Cut {
  int account;
  int generation;
  Clock::time_point when;
  std::string bye;  // the BYE line read before the end, if any
};

struct Account {
  int index = 0;
  std::string name;
  int partner = 0;
  int home = 0;  // the node of its first connection
  std::string token;
  // Owned by the account's load thread while the load runs, then by the
  // test; replaced under Load's lock.
  std::unique_ptr<Client> conn;
  int generation = 0;   // connections so far: the first is 1
  std::string bye;      // a BYE read on the current connection
  std::string refused;  // why the last attempt to come back failed
  int sent = 0;
};

// A message acknowledged by OK SEND.
struct Acked {
  int from;
  int to;
  bool live;               // "delivered", not "stored"
  int generation;          // the sender's connection it was sent on
  Clock::time_point when;  // of the OK
};

// What the load had acknowledged and what arrived, for the checks.
struct Ledger {
  std::mutex mu;
  std::map<int64_t, Acked> acked;  // by message id
  // Per account: message id -> the connections (generations) it came on.
  std::vector<std::map<int64_t, std::vector<int>>> received;
  std::vector<std::vector<Ballot>> ballots;        // [account][poll]
  std::vector<std::vector<std::string>> receipts;  // [account][poll], of OK VOTE
  std::vector<Cut> cuts;
  std::vector<CommandRecord> commands;
  std::vector<std::string> problems;  // replies the protocol does not allow here
  int resumes = 0;
};

// The load: a thread per account that votes now and then in the first open
// poll it has not voted in, and sends to its partner, a few times a second.
// A client whose connection ends comes back through HAProxy and RESUMEs.
// What was acknowledged and what arrived is written down for the checks.
class Load {
 public:
  Load(std::vector<Account>& accounts, uint16_t front, std::vector<std::string> polls)
      : accounts_(accounts), front_(front), polls_(std::move(polls)) {
    ledger_.received.resize(accounts.size());
    ledger_.ballots.assign(accounts.size(), std::vector<Ballot>(polls_.size(), Ballot::kNone));
    ledger_.receipts.assign(accounts.size(), std::vector<std::string>(polls_.size()));
    for (auto& a : accounts_) {
      threads_.emplace_back([this, &a] { Run(a); });
    }
  }
  ~Load() { Stop(); }
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;

  // Voters vote in polls [0, n).
  void OpenPolls(int n) { open_polls_ = n; }
  // While held, clients whose connection ended wait before coming back.
  void Hold(bool hold) { hold_ = hold; }

  // Stops the threads; the connections stay, for the checks.
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  bool WaitUntil(Clock::duration timeout, const std::function<bool()>& done) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
      {
        std::lock_guard lock(ledger_.mu);
        if (done()) return true;
      }
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(50ms);
    }
  }
  bool WaitAllConnected(Clock::duration timeout) {
    return WaitUntil(timeout, [this] {
      for (const auto& a : accounts_) {
        if (!a.conn) return false;
      }
      return true;
    });
  }
  // Every account has voted (acknowledged, or found it had) in every open poll.
  bool WaitVotesSettled(Clock::duration timeout) {
    return WaitUntil(timeout, [this] {
      for (const auto& row : ledger_.ballots) {
        for (int p = 0; p < open_polls_; ++p) {
          if (row[p] != Ballot::kAcked && row[p] != Ballot::kAlreadyVoted) return false;
        }
      }
      return true;
    });
  }
  // Every account has had a SEND acknowledged that it sent after `since`.
  bool WaitEveryoneSent(Clock::time_point since, Clock::duration timeout) {
    return WaitUntil(timeout, [this, since] {
      std::vector<bool> sent(accounts_.size());
      for (const auto& c : ledger_.commands) {
        if (c.verb == "SEND" && c.result == "OK" && c.sent > since) sent[c.account] = true;
      }
      return std::find(sent.begin(), sent.end(), false) == sent.end();
    });
  }

  // The accounts whose connection ended after `t`.
  std::set<std::string> CutSince(Clock::time_point t) {
    std::lock_guard lock(ledger_.mu);
    std::set<std::string> out;
    for (const auto& c : ledger_.cuts) {
      if (c.when > t) out.insert(accounts_[c.account].name);
    }
    return out;
  }

  // After Stop(), on the test's thread: reads until every account has
  // every acknowledged message sent to it, or until `timeout`.
  void Drain(Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
      for (auto& a : accounts_) {
        if (!a.conn && !Reconnect(a, [deadline] { return Clock::now() > deadline; })) continue;
        try {
          a.conn->Cmd("PING", kReplyTimeout);
          std::lock_guard lock(ledger_.mu);
          TakeEvents(a);
        } catch (const std::exception& e) {
          Ended(a, e.what());
        }
      }
      if (Missing().empty() || Clock::now() > deadline) return;
      std::this_thread::sleep_for(200ms);
    }
  }

  // Acknowledged messages that have not reached their recipient (id -> recipient).
  std::map<int64_t, int> Missing() {
    std::lock_guard lock(ledger_.mu);
    std::map<int64_t, int> out;
    for (const auto& [id, m] : ledger_.acked) {
      if (!ledger_.received[m.to].count(id)) out[id] = m.to;
    }
    return out;
  }

  bool Reconnect(Account& a, const std::function<bool()>& give_up) {
    while (!give_up()) {
      if (hold_) {
        std::this_thread::sleep_for(50ms);
        continue;
      }
      try {
        auto c = std::make_unique<Client>("127.0.0.1", front_);
        if (!c->hello().empty()) {  // else HAProxy found no node to take it
          const Reply r = c->Cmd("RESUME " + a.token, kReplyTimeout);
          if (r.ok()) {
            std::lock_guard lock(ledger_.mu);
            a.conn = std::move(c);
            ++a.generation;
            a.bye.clear();
            ++ledger_.resumes;
            TakeEvents(a);
            return true;
          }
          a.refused = r.final;
          // ALREADY_ONLINE: the cluster has not yet let go of the session
          // that ended; INTERNAL: the store is away. Both pass.
          if (r.code() != "ALREADY_ONLINE" && r.code() != "INTERNAL") {
            std::lock_guard lock(ledger_.mu);
            Problem(a, "RESUME: " + r.final);
          }
        }
      } catch (const std::exception& e) {
        a.refused = e.what();  // the node went away again: try again
      }
      std::this_thread::sleep_for(200ms);
    }
    return false;
  }

  // What the checks read; lock its mu while the threads run.
  Ledger& ledger() { return ledger_; }
  const std::vector<std::string>& polls() const { return polls_; }
  int open_polls() const { return open_polls_; }

 private:
  void Run(Account& a) {
    std::mt19937 rng(static_cast<unsigned>(a.index) * 7919u + 17u);
    const auto stopped = [this] { return stop_.load(); };
    while (!stop_) {
      if (!a.conn && !Reconnect(a, stopped)) continue;
      try {
        Step(a, rng);
      } catch (const std::exception& e) {
        Ended(a, e.what());
      }
    }
  }

  void Step(Account& a, std::mt19937& rng) {
    int poll = -1;
    Ballot before = Ballot::kNone;
    {
      std::lock_guard lock(ledger_.mu);
      for (int p = 0; p < open_polls_ && poll < 0; ++p) {
        const Ballot b = ledger_.ballots[a.index][p];
        if (b == Ballot::kNone || b == Ballot::kInDoubt) {
          poll = p;
          before = b;
        }
      }
    }
    if (poll >= 0 && rng() % 3 == 0) Vote(a, poll, before);
    Send(a);
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 200));
  }

  // Runs `line` on the account's connection, writing the command down; a
  // connection that ends (or a reply that never comes) throws.
  Reply Command(Account& a, const std::string& verb, const std::string& line) {
    const auto sent = Clock::now();
    try {
      Reply r = a.conn->Cmd(line, kReplyTimeout);
      std::lock_guard lock(ledger_.mu);
      ledger_.commands.push_back({a.index, verb, sent, Clock::now(), r.ok() ? "OK" : r.code()});
      TakeEvents(a);
      return r;
    } catch (const std::exception&) {
      std::lock_guard lock(ledger_.mu);
      ledger_.commands.push_back({a.index, verb, sent, Clock::now(), "CUT"});
      throw;
    }
  }

  void Vote(Account& a, int p, Ballot before) {
    {
      std::lock_guard lock(ledger_.mu);
      ledger_.ballots[a.index][p] = Ballot::kInDoubt;  // until a reply says
    }
    const Reply r =
        Command(a, "VOTE", "VOTE " + polls_[p] + " " + std::to_string(OptionOf(a.index, p)));
    std::lock_guard lock(ledger_.mu);
    if (r.ok()) {
      ledger_.ballots[a.index][p] = Ballot::kAcked;
      ledger_.receipts[a.index][p] = r.params.at(3);
    } else if (r.code() == "ALREADY_VOTED") {
      // Only a vote whose outcome the client could not know may have gone in.
      if (before == Ballot::kNone) {
        Problem(a, "ALREADY_VOTED in " + polls_[p] + " at its first vote");
      }
      ledger_.ballots[a.index][p] = Ballot::kAlreadyVoted;
    } else if (r.code() != "INTERNAL") {
      Problem(a, "VOTE: " + r.final);
    }
  }

  void Send(Account& a) {
    const Reply r = Command(
        a, "SEND",
        "SEND " + accounts_[a.partner].name + " :from " + a.name + " " + std::to_string(++a.sent));
    std::lock_guard lock(ledger_.mu);
    if (r.ok()) {
      ledger_.acked[std::stoll(r.params.at(2))] = {
          a.index, a.partner, r.params.back() == "delivered", a.generation, Clock::now()};
    } else if (r.code() != "INTERNAL") {
      Problem(a, "SEND: " + r.final);
    }
  }

  // Takes the events read so far on the account's connection. REQUIRES: ledger_.mu.
  void TakeEvents(Account& a) {
    for (const auto& line : a.conn->events()) {
      if (StartsWith(line, "MSG ")) {
        const auto p = Params(line);
        if (p.size() > 1) ledger_.received[a.index][std::stoll(p[1])].push_back(a.generation);
      } else if (StartsWith(line, "BYE ")) {
        a.bye = line;
      }
    }
    a.conn->events().clear();
  }

  void Ended(Account& a, const std::string& why) {
    std::lock_guard lock(ledger_.mu);
    TakeEvents(a);  // what arrived before the end
    if (StartsWith(why, "no line in time")) Problem(a, "no reply in time");
    ledger_.cuts.push_back({a.index, a.generation, Clock::now(), a.bye});
    a.conn.reset();
  }

  // REQUIRES: ledger_.mu.
  void Problem(const Account& a, const std::string& what) {
    ledger_.problems.push_back(a.name + ": " + what);
  }

  std::vector<Account>& accounts_;
  const uint16_t front_;
  Ledger ledger_;
  const std::vector<std::string> polls_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> hold_{false};
  std::atomic<int> open_polls_{1};
  std::vector<std::thread> threads_;
};

class ClusterFailuresE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    if (bus::testing::NatsServer::Binary().empty()) GTEST_SKIP() << "nats-server is not installed";
    if (HaProxy::Binary().empty()) GTEST_SKIP() << "haproxy is not installed";
    std::string why;
    pg_ = TempPostgres::Get(&why);
    if (pg_ == nullptr) GTEST_SKIP() << why;
    const auto started = Clock::now();
    url_ = pg_->NewDatabase();
    nats_ = std::make_unique<bus::testing::NatsServer>();
    std::vector<uint16_t> ports;
    for (int i = 0; i < kNodes; ++i) {
      // Each node on a port of its own, the same after a restart: HAProxy's.
      for (int attempt = 0;; ++attempt) {
        const uint16_t port = FreePort();
        try {
          nodes_.push_back(std::make_unique<ServerProcess>(NodeOptions(i, port), data_.path()));
          ports.push_back(port);
          break;
        } catch (const std::runtime_error&) {
          if (attempt == 2) throw;  // not a port taken meanwhile
        }
      }
    }
    front_ = std::make_unique<HaProxy>(ports);

    std::string out;
    admin_ = FreshName("boss");
    ASSERT_EQ(node(0).Cli({"users", "add", admin_, "--admin"}, kAdminPassword + "\n", &out), 0)
        << out;
    {
      auto admin = LoginWhenKnown(node(0), admin_, kAdminPassword);
      for (int p = 0; p < 3; ++p) {
        const Reply made = admin->Cmd("POLLNEW - +3600 - :Poll " + FreshName("t"));
        ASSERT_TRUE(made.ok()) << made.final;
        for (int o = 1; o <= kOptions; ++o) {
          ASSERT_TRUE(
              admin->Cmd("POLLOPTION " + made.params[2] + " :Option " + std::to_string(o)).ok());
        }
        ASSERT_TRUE(admin->Cmd("POLLOPEN " + made.params[2]).ok());
        polls_.push_back(made.params[2]);
      }
      ASSERT_TRUE(admin->Cmd("LOGOUT").ok());
    }

    // The accounts, logged in on their home nodes: the two sides of a pair
    // (2j, 2j+1) on different nodes. Four at a time: each login hashes.
    accounts_.resize(kAccounts);
    for (int i = 0; i < kAccounts; ++i) {
      accounts_[i].index = i;
      accounts_[i].name = FreshName("m");
      accounts_[i].partner = i ^ 1;
      accounts_[i].home = i % kNodes;
    }
    std::vector<std::thread> setup;
    std::mutex failures_mu;
    std::vector<std::string> failures;
    for (int t = 0; t < 4; ++t) {
      setup.emplace_back([&, t] {
        for (int i = t; i < kAccounts; i += 4) {
          Account& a = accounts_[i];
          try {
            a.conn = LoggedIn(node(a.home), a.name, kPassword, &a.token);
            a.generation = 1;
          } catch (const std::exception& e) {
            std::lock_guard lock(failures_mu);
            failures.push_back(a.name + ": " + e.what());
          }
        }
      });
    }
    for (int i = 0; i < kNodes; ++i) {
      watchers_.emplace_back();
      watchers_[i].name = FreshName("watch");
      watchers_[i].conn = LoggedIn(node(i), watchers_[i].name, kPassword, &watchers_[i].token);
    }
    for (auto& t : setup) t.join();
    ASSERT_TRUE(failures.empty()) << failures.front();
    // Every node knows every session before the trouble starts.
    std::string diff;
    ASSERT_TRUE(WhoConverges(Clock::now() + 30s, &diff)) << diff;
    std::cout << "[ cluster  ] three nodes and " << kAccounts + kNodes << " sessions up in "
              << Seconds(Clock::now() - started) << " s\n";
  }

  ServerProcess& node(int i) { return *nodes_[static_cast<size_t>(i)]; }

  std::vector<std::string> NodeOptions(int i, uint16_t port) const {
    std::vector<std::string> options = {"--store",        url_,
                                        "--bus",          nats_->url(),
                                        "--node-id",      "n" + std::to_string(i + 1),
                                        "--node-ttl",     std::to_string(kTtlSeconds),
                                        "--port",         std::to_string(port),
                                        "--hash-threads", "1"};
    // Every connection and command of the load comes from 127.0.0.1.
    for (const char* limit :
         {"--max-connections-per-ip", "--new-connections-per-minute", "--commands-per-second",
          "--registrations-per-hour", "--failed-logins-per-minute"}) {
      options.push_back(limit);
      options.push_back("0");
    }
    return options;
  }

  void StartLoad(int polls) {
    load_ =
        std::make_unique<Load>(accounts_, front_->port(),
                               std::vector<std::string>(polls_.begin(), polls_.begin() + polls));
  }

  // The names WHO on node `i`'s watcher should list: everyone else (the
  // accounts of the load once they have logged out).
  std::set<std::string> ExpectedWho(int i) const {
    std::set<std::string> names;
    if (!logged_out_) {
      for (const auto& a : accounts_) names.insert(a.name);
    }
    for (int w = 0; w < kNodes; ++w) {
      if (w != i) names.insert(watchers_[w].name);
    }
    return names;
  }

  // WHO on node `i`: how many times each name is listed.
  std::map<std::string, int> Who(int i) {
    std::map<std::string, int> listed;
    Reply r;
    try {
      r = watchers_[i].conn->Cmd("WHO", kReplyTimeout);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "WHO on n" << i + 1 << " by " << watchers_[i].name << ": " << e.what()
                    << "\n"
                    << LogLinesAbout({watchers_[i].name});
      return listed;
    }
    watchers_[i].conn->events().clear();
    if (!r.ok()) {
      ADD_FAILURE() << "WHO on n" << i + 1 << ": " << r.final;
      return listed;
    }
    for (const auto& line : r.data) {
      const auto p = Params(line);
      if (p.size() >= 4 && p[0] == "USER" && p[3] == "online" && p[1] != admin_) ++listed[p[1]];
    }
    return listed;
  }

  // Waits until WHO on every node lists everyone online once, and nobody
  // else; false (with what differs in *diff) if not by `deadline`. A name
  // listed twice is a failure at once.
  bool WhoConverges(Clock::time_point deadline, std::string* diff) {
    while (true) {
      diff->clear();
      for (int i = 0; i < kNodes; ++i) {
        const auto listed = Who(i);
        const auto expected = ExpectedWho(i);
        for (const auto& [name, times] : listed) {
          EXPECT_EQ(times, 1) << name << " listed " << times << " times by WHO on n" << i + 1;
          if (!expected.count(name)) *diff += " n" + std::to_string(i + 1) + " lists " + name + ";";
        }
        for (const auto& name : expected) {
          if (!listed.count(name)) *diff += " n" + std::to_string(i + 1) + " misses " + name + ";";
        }
      }
      if (diff->empty()) return true;
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(200ms);
    }
  }

  // The watcher of node `i` comes back on that node with its token.
  void ReconnectWatcher(int i) {
    const auto deadline = Clock::now() + kTtl + kMargin;
    std::string last;
    while (Clock::now() < deadline) {
      try {
        auto c = std::make_unique<Client>("127.0.0.1", node(i).port());
        const Reply r = c->Cmd("RESUME " + watchers_[i].token, kReplyTimeout);
        if (r.ok()) {
          watchers_[i].conn = std::move(c);
          return;
        }
        last = r.final;
      } catch (const std::exception& e) {
        last = e.what();
      }
      std::this_thread::sleep_for(200ms);
    }
    FAIL() << "the watcher of n" << i + 1 << " could not RESUME: " << last;
  }

  // Reads and forgets what the watchers of the nodes but `skip` have had.
  void QuietWatchers(int skip) {
    for (int i = 0; i < kNodes; ++i) {
      if (i == skip) continue;
      ASSERT_TRUE(watchers_[i].conn->Cmd("PING", kReplyTimeout).ok());
      watchers_[i].conn->events().clear();
    }
  }

  // Waits until the watchers of every node but `dead` have seen `PRESENCE
  // <name> offline` for every account whose connection ended since
  // `since` (the clients notice within a command or two, so the set is
  // known after a while). Returns the latest sighting, after `since`.
  Clock::duration WaitOffline(int dead, Clock::time_point since, Clock::time_point deadline) {
    std::vector<std::set<std::string>> seen(kNodes);
    Clock::duration latest{};
    while (true) {
      for (int i = 0; i < kNodes; ++i) {
        if (i == dead) continue;
        auto& c = *watchers_[i].conn;
        EXPECT_TRUE(Pump(c, 50ms)) << "the watcher of n" << i + 1 << " was cut off";
        for (const auto& line : c.events()) {
          const auto p = Params(line);
          if (p.size() >= 3 && p[0] == "PRESENCE" && p[2] == "offline" &&
              seen[i].insert(p[1]).second) {
            latest = Clock::now() - since;
          }
        }
        c.events().clear();
      }
      const auto gone = load_->CutSince(since);
      std::string missing;
      for (int i = 0; i < kNodes; ++i) {
        if (i == dead) continue;
        for (const auto& name : gone) {
          if (!seen[i].count(name)) missing += " " + name + " on n" + std::to_string(i + 1);
        }
      }
      const bool settled = Clock::now() - since > 2s;  // every client has noticed by now
      if (settled && missing.empty()) {
        EXPECT_FALSE(gone.empty()) << "no connection ended";
        return latest;
      }
      if (Clock::now() > deadline) {
        ADD_FAILURE() << "not reported offline in time:" << missing << "\n" << Logs();
        return latest;
      }
    }
  }

  std::string Logs() {
    std::string out;
    for (int i = 0; i < kNodes; ++i) {
      const std::string log = node(i).Log();
      out += "--- n" + std::to_string(i + 1) + " (end of its log)\n" +
             log.substr(log.size() > 2500 ? log.size() - 2500 : 0);
    }
    return out;
  }

  // The lines of the nodes' logs that name one of `words` or the cluster.
  std::string LogLinesAbout(const std::vector<std::string>& words) {
    std::string out;
    for (int i = 0; i < kNodes; ++i) {
      std::istringstream log(node(i).Log());
      std::string line;
      while (std::getline(log, line)) {
        bool about = line.find("cluster:") != std::string::npos;
        for (const auto& w : words) about = about || line.find(" " + w + " ") != std::string::npos;
        if (about) out += "n" + std::to_string(i + 1) + " " + line + "\n";
      }
    }
    return out;
  }

  // What ExpectNothingLost allows besides "exactly once, at once".
  struct Allowances {
    // A message handed to a connection of a node that then died (or was
    // paused past its TTL) may come again (same id) on the client's next
    // connection, as docs/protocol.md allows, once that connection ended;
    // nothing else may come twice.
    bool again_after_a_crash = false;
    // With again_after_a_crash: only messages acknowledged before this
    // (the moment a node was paused, and a margin for the commit), if set.
    Clock::time_point again_if_acked_before{};
    // A message acknowledged "delivered" may be missing from HISTORY when
    // its sender's node died a moment later: its log write had not
    // committed yet (docs/protocol.md says so).
    bool unlogged_at_a_crash = false;
  };

  // The checks every test ends with, once the load has stopped: every
  // acknowledged message reached its recipient once and is in HISTORY,
  // every acknowledged ballot is counted once, and presence is right.
  void ExpectNothingLost(Allowances allowed) {
    const auto started = Clock::now();
    Load& load = *load_;
    // What is in flight arrives within moments.
    load.Drain(kMargin);
    Ledger& ledger = load.ledger();
    std::lock_guard lock(ledger.mu);
    for (const auto& p : ledger.problems) ADD_FAILURE() << p;

    // Delivered, once.
    std::map<int64_t, int> missing;
    for (const auto& [id, m] : ledger.acked) {
      if (!ledger.received[m.to].count(id)) missing[id] = m.to;
    }
    if (!missing.empty()) {
      std::string ids, to_whom;
      for (const auto& [id, to] : missing) {
        ids += (ids.empty() ? "" : ",") + std::to_string(id);
        to_whom += " " + std::to_string(id) + ":" + accounts_[to].name;
      }
      const auto queued = Column(
          url_,
          "SELECT string_agg(message_id::text, ',') FROM offline_queue WHERE message_id IN (" +
              ids + ")");
      const auto stored =
          Column(url_,
                 "SELECT count(*) || ' of them, sent from ' || min(to_timestamp(time_ms / 1000.0)) "
                 "|| ' to ' || max(to_timestamp(time_ms / 1000.0)) FROM messages WHERE id IN (" +
                     ids + ")");
      const auto& [first, recipient] = *missing.begin();
      const int sender = ledger.acked.at(first).from;
      ADD_FAILURE() << missing.size() << " of " << ledger.acked.size()
                    << " acknowledged messages never reached their recipient:" << to_whom
                    << "\nstill queued: " << queued.at(0) << "\nin the store: " << stored.at(0)
                    << "\nwhat the nodes say of " << first << "'s sender and recipient, and of "
                    << "each other:\n"
                    << LogLinesAbout({accounts_[sender].name, accounts_[recipient].name});
    }
    std::map<int, std::set<int>> cut;  // account -> generations that ended under it
    for (const auto& c : ledger.cuts) cut[c.account].insert(c.generation);
    int again = 0;
    for (int a = 0; a < kAccounts; ++a) {
      for (const auto& [id, generations] : ledger.received[a]) {
        if (generations.size() == 1) continue;
        // The copies but the last on connections that ended under them.
        bool excused = allowed.again_after_a_crash;
        if (allowed.again_if_acked_before != Clock::time_point{}) {
          const auto m = ledger.acked.find(id);
          excused =
              excused && m != ledger.acked.end() && m->second.when < allowed.again_if_acked_before;
        }
        for (size_t k = 0; k + 1 < generations.size(); ++k) {
          excused = excused && generations[k] < generations[k + 1] && cut[a].count(generations[k]);
        }
        if (excused) {
          ++again;
          continue;
        }
        std::string on;
        for (int g : generations) on += " " + std::to_string(g);
        ADD_FAILURE() << "message " << id << " reached " << accounts_[a].name << " "
                      << generations.size() << " times, on its connections" << on;
      }
    }

    // In HISTORY, on either side.
    int unlogged = 0;
    for (int j = 0; j < kPairs; ++j) {
      Account& a = accounts_[2 * j];
      ASSERT_TRUE(a.conn) << a.name << " could not come back: " << a.refused << "\n" << Logs();
      const std::string partner = accounts_[2 * j + 1].name;
      std::set<int64_t> history;
      std::string before = "-";
      for (int page = 0; page < 1000; ++page) {
        const Reply r = a.conn->Cmd("HISTORY " + partner + " " + before + " 100", kReplyTimeout);
        ASSERT_TRUE(r.ok()) << r.final;
        for (const auto& line : r.data) {
          const auto p = Params(line);
          if (p.size() > 1 && p[0] == "DM") {
            EXPECT_TRUE(history.insert(std::stoll(p[1])).second) << "twice in HISTORY: " << line;
          }
        }
        if (r.params.at(3) == "0") break;
        before = r.params.at(4);
      }
      a.conn->events().clear();
      for (const auto& [id, m] : ledger.acked) {
        if (m.from / 2 != j || history.count(id)) continue;
        // A live message whose sender's node died a moment later.
        bool crashed = false;
        for (const auto& c : ledger.cuts) {
          crashed = crashed ||
                    (c.account == m.from && c.generation == m.generation && c.when - m.when < 2s);
        }
        if (allowed.unlogged_at_a_crash && m.live && crashed) {
          ++unlogged;
          continue;
        }
        const auto stored =
            Column(url_, "SELECT count(*) FROM messages WHERE id = " + std::to_string(id));
        ADD_FAILURE() << "acknowledged message " << id << " (" << (m.live ? "delivered" : "stored")
                      << ") from " << accounts_[m.from].name
                      << " not in HISTORY; in the store: " << stored.at(0)
                      << (crashed ? "; its sender's node died a moment later" : "");
      }
    }

    // Counted once: the tally and the export hold every ballot that was
    // acknowledged, or that a vote in doubt turned out to have cast, and no
    // other.
    auto admin = LoginWhenKnown(node(0), admin_, kAdminPassword);
    TempDir exported;
    int ballots = 0;
    for (int p = 0; p < load.open_polls(); ++p) {
      const std::string& poll = load.polls()[p];
      std::vector<int> expected(kOptions + 1);
      std::map<std::string, int> receipts;  // acknowledged receipt -> option
      for (int a = 0; a < kAccounts; ++a) {
        const Ballot b = ledger.ballots[a][p];
        ASSERT_TRUE(b == Ballot::kAcked || b == Ballot::kAlreadyVoted)
            << accounts_[a].name << " never voted in " << poll;
        ++expected[OptionOf(a, p)];
        if (b == Ballot::kAcked) receipts[ledger.receipts[a][p]] = OptionOf(a, p);
      }
      ballots += static_cast<int>(receipts.size());
      const Reply closed = admin->Cmd("POLLCLOSE " + poll, kReplyTimeout);
      ASSERT_TRUE(closed.ok()) << closed.final;
      EXPECT_EQ(closed.params.at(3), std::to_string(kAccounts)) << poll;
      const Reply results = admin->Cmd("RESULTS " + poll, kReplyTimeout);
      ASSERT_TRUE(results.ok()) << results.final;
      EXPECT_EQ(results.params.at(3), std::to_string(kAccounts)) << poll;
      for (const auto& line : results.data) {
        const auto t = Params(line);
        ASSERT_GE(t.size(), 4u) << line;
        EXPECT_EQ(t[3], std::to_string(expected.at(std::stoi(t[2])))) << poll << ": " << line;
      }
      std::string out;
      ASSERT_EQ(node(0).Cli({"poll", "export", poll, "--out", exported.path()}, "", &out), 0)
          << out;
      std::ifstream csv(exported.path() + "/" + poll + "-ballots.csv");
      std::string row;
      std::getline(csv, row);  // the header
      std::map<std::string, int> listed;
      int rows = 0;
      while (std::getline(csv, row)) {
        ++rows;
        const size_t comma = row.find(',');
        ASSERT_NE(comma, std::string::npos) << row;
        EXPECT_TRUE(listed.emplace(row.substr(0, comma), std::stoi(row.substr(comma + 1))).second)
            << "exported twice: " << row;
      }
      EXPECT_EQ(rows, kAccounts) << poll;
      for (const auto& [receipt, option] : receipts) {
        auto it = listed.find(receipt);
        ASSERT_NE(it, listed.end()) << "acknowledged ballot " << receipt << " not in the export";
        EXPECT_EQ(it->second, option) << receipt;
      }
    }
    admin->Cmd("LOGOUT");
    admin.reset();

    // Presence: everyone online once, on every node; once they have logged
    // out, nobody (no session left behind on any node).
    std::string diff;
    EXPECT_TRUE(WhoConverges(Clock::now() + kTtl + kMargin, &diff)) << diff;
    for (auto& a : accounts_) {
      if (!a.conn) continue;  // failed above
      const Reply r = a.conn->Cmd("LOGOUT", kReplyTimeout);
      EXPECT_TRUE(r.ok()) << a.name << ": " << r.final;
      a.conn.reset();
    }
    logged_out_ = true;
    EXPECT_TRUE(WhoConverges(Clock::now() + kTtl + kMargin, &diff)) << diff;

    std::cout << "[ cluster  ] " << ledger.acked.size() << " messages and " << ballots
              << " ballots acknowledged; " << ledger.cuts.size() << " connections ended, "
              << ledger.resumes << " RESUMEs; " << again << " messages again and " << unlogged
              << " missing from HISTORY after a crash; checked in "
              << Seconds(Clock::now() - started) << " s\n";
  }

  void KillNineInALoop(Allowances allowed);
  void BusAwayForFiveSeconds(Allowances allowed);
  void PausedPastItsTtl(Allowances allowed);

  struct Watcher {
    std::string name;
    std::string token;
    std::unique_ptr<Client> conn;
  };

  TempDir data_;
  TempPostgres* pg_ = nullptr;
  std::string url_;
  std::unique_ptr<bus::testing::NatsServer> nats_;
  std::vector<std::unique_ptr<ServerProcess>> nodes_;
  std::unique_ptr<HaProxy> front_;
  std::string admin_;
  std::vector<std::string> polls_;
  std::vector<Account> accounts_;
  std::vector<Watcher> watchers_;
  bool logged_out_ = false;     // the accounts of the load, at the end
  std::unique_ptr<Load> load_;  // last: stopped before what it uses goes
};

// kill -9 of one node, three times (each node once), while every account
// votes and sends: its users go offline for the watchers of the other
// nodes within the TTL, its clients come back through HAProxy and RESUME,
// it comes back with the same --node-id, and nothing acknowledged is lost.
void ClusterFailuresE2E::KillNineInALoop(Allowances allowed) {
  constexpr int kRounds = 3;
  StartLoad(kRounds);
  for (int round = 0; round < kRounds; ++round) {
    const int k = round;
    load_->OpenPolls(round + 1);  // this round's votes under way
    std::this_thread::sleep_for(1s);
    QuietWatchers(k);
    // The dead node's clients stay away until the others have been told
    // they went offline (once back elsewhere they are online again).
    load_->Hold(true);
    const auto killed = Clock::now();
    node(k).Kill9();
    const auto offline = WaitOffline(k, killed, killed + kTtl + kMargin);
    node(k).Start();
    ReconnectWatcher(k);
    load_->Hold(false);
    ASSERT_TRUE(load_->WaitAllConnected(kTtl + kMargin)) << Logs();
    std::cout << "[ cluster  ] n" << k + 1 << " killed: its users offline elsewhere after "
              << Seconds(offline) << " s; its clients back after " << Seconds(Clock::now() - killed)
              << " s\n";
  }
  ASSERT_TRUE(load_->WaitVotesSettled(kTtl + kMargin));
  load_->Stop();
  ExpectNothingLost(allowed);
  std::lock_guard lock(load_->ledger().mu);
  EXPECT_GE(load_->ledger().resumes, kRounds) << "clients came back by RESUME";
}

// A message handed to a connection of the node that died may come again
// (same id) on the client's next connection, as docs/protocol.md allows;
// and a live message (`OK SEND ... delivered`) is answered before its log
// write commits, so a kill -9 a moment later may leave it out of HISTORY
// (docs/protocol.md says so). Nothing else is excused: a message sent while
// its recipient's RESUME was under way on another node used to stay queued
// until the next session (the sender's node stored it as for an offline
// account after the login's node had read the queue); the sender's node now
// sends it on when it hears of the session (Messaging::RemoteSessionHeard).
TEST_F(ClusterFailuresE2E, KillNineOfANodeInALoopLosesNothingAcknowledged) {
  KillNineInALoop({.again_after_a_crash = true, .unlogged_at_a_crash = true});
}

// nats-server stopped for 5 s (past the TTL) and started again on its
// port, under load: each node serves its own clients meanwhile, nothing
// acknowledged is lost, and presence converges on every node within the
// TTL of the bus's return.
void ClusterFailuresE2E::BusAwayForFiveSeconds(Allowances allowed) {
  StartLoad(2);
  std::this_thread::sleep_for(1500ms);
  load_->OpenPolls(2);  // votes during the outage
  nats_->Stop();
  std::this_thread::sleep_for(5s);
  nats_->Start();
  const auto back = Clock::now();
  std::string diff;
  EXPECT_TRUE(WhoConverges(back + kTtl + kMargin, &diff)) << diff << "\n" << Logs();
  std::cout << "[ cluster  ] presence converged " << Seconds(Clock::now() - back)
            << " s after the bus came back\n";
  std::this_thread::sleep_for(1s);
  ASSERT_TRUE(load_->WaitVotesSettled(kTtl + kMargin));
  load_->Stop();
  ExpectNothingLost(allowed);
  std::lock_guard lock(load_->ledger().mu);
  EXPECT_TRUE(load_->ledger().cuts.empty()) << "no node went away: no connection should have ended";
}

// Nothing excused. During the outage each node declares the others gone
// (TTL 3 s < 5 s), so a sender's node stores its messages for the others'
// users as for offline accounts; when the bus is back, the recipient's node
// reads its online accounts' queues once (Caucus::BusRestored), and what the
// sender's node stored after that read is sent on when it hears the
// recipient's session again (Messaging::RemoteSessionHeard). Before that, 4
// to 53 messages stayed queued, their recipients online, in every run.
TEST_F(ClusterFailuresE2E, TheBusAwayForFiveSecondsLosesNothingAndPresenceConverges) {
  BusAwayForFiveSeconds({});
}

// A node paused (SIGSTOP) past its TTL: the other nodes report its users
// offline; resumed (SIGCONT), it ends its sessions with BYE SHUTDOWN, its
// clients come back through HAProxy, and nobody is shown online twice.
void ClusterFailuresE2E::PausedPastItsTtl(Allowances allowed) {
  constexpr int k = 1;
  StartLoad(2);
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(load_->CutSince(Clock::time_point{}).empty()) << "every account still at home";
  QuietWatchers(k);
  load_->OpenPolls(2);
  const auto paused = Clock::now();
  ASSERT_EQ(::kill(node(k).pid(), SIGSTOP), 0);
  // Its clients wait for replies meanwhile: none of them notices, so the
  // accounts to see offline are those of the node.
  std::set<std::string> there;
  for (const auto& a : accounts_) {
    if (a.home == k) there.insert(a.name);
  }
  there.insert(watchers_[k].name);
  const auto deadline = paused + kTtl + kMargin;
  for (int i = 0; i < kNodes; ++i) {
    if (i == k) continue;
    for (const auto& name : there) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      EXPECT_TRUE(
          watchers_[i].conn->EventArrives("PRESENCE " + name + " offline", std::max(left, 1ms)))
          << name << " not reported offline on n" << i + 1;
    }
  }
  std::cout << "[ cluster  ] n" << k + 1 << " paused: its users offline elsewhere after "
            << Seconds(Clock::now() - paused) << " s\n";
  // The others judge by its last beat in the store, which may be a beat
  // interval older than its own last tick: held until its own timer is
  // past the TTL too, it knows of its pause from its first handler on
  // (ClusterNode::Awake). (A pause just short of that is found by its next
  // beat, ClusterNode::Beaten, a moment later.)
  std::this_thread::sleep_until(paused + kTtl + 1500ms);
  ASSERT_EQ(::kill(node(k).pid(), SIGCONT), 0);
  const auto closed = watchers_[k].conn->WaitClosed(kReplyTimeout);
  ASSERT_FALSE(closed.empty());
  EXPECT_TRUE(StartsWith(closed.back(), "BYE SHUTDOWN")) << closed.back();
  ReconnectWatcher(k);
  ASSERT_TRUE(load_->WaitAllConnected(kTtl + kMargin)) << Logs();
  {
    std::lock_guard lock(load_->ledger().mu);
    std::set<int> ended;
    for (const auto& c : load_->ledger().cuts) {
      EXPECT_EQ(accounts_[c.account].home, k)
          << accounts_[c.account].name << " was not on n" << k + 1;
      EXPECT_EQ(c.generation, 1) << accounts_[c.account].name << " cut twice";
      EXPECT_TRUE(StartsWith(c.bye, "BYE SHUTDOWN"))
          << accounts_[c.account].name << ": " << (c.bye.empty() ? "no BYE" : c.bye);
      ended.insert(c.account);
    }
    for (const auto& a : accounts_) {
      if (a.home != k) continue;
      EXPECT_TRUE(ended.count(a.index)) << a.name << "'s session did not end";
    }
  }
  // Nobody online twice, on any node, now or a moment later.
  std::string diff;
  EXPECT_TRUE(WhoConverges(Clock::now() + kTtl + kMargin, &diff)) << diff;
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(WhoConverges(Clock::now(), &diff)) << diff;
  ASSERT_TRUE(load_->WaitVotesSettled(kTtl + kMargin));
  load_->Stop();
  // Only what was on its way when the pause struck may come again: the
  // sender's OK follows its commit by moments, well within a second.
  if (allowed.again_after_a_crash) allowed.again_if_acked_before = paused + 1s;
  ExpectNothingLost(allowed);
}

// A woken node checks for its pause before it handles any command, bus
// event or store completion (ClusterNode::Awake), so it hands nothing over
// after the pause before its sessions end; and a message sent while a
// recipient RESUMEd on another node is sent on by the sender's node when
// it hears of the session. What the pause cannot undo is the moment it
// struck: a message written to a client's connection whose hand-over the
// node had not yet told the sender's node (the bus message leaves at the
// end of the turn), or whose removal from the queue had not committed, is
// still queued when the client comes back elsewhere, and comes again with
// its id, as after a crash (docs/protocol.md); only that is excused, for
// messages acknowledged by the pause's first second (CI saw it once in
// many runs).
TEST_F(ClusterFailuresE2E, ANodePausedPastItsTtlEndsItsSessionsAndNobodyIsOnlineTwice) {
  PausedPastItsTtl({.again_after_a_crash = true});
}

// PostgreSQL stopped at once (a crash) and started again on its port while
// the three nodes serve: on every node, durable commands meet the outage
// with ERR INTERNAL or a reply that waits for the database, never an OK
// while it is down, nothing acknowledged is lost, and every node serves
// again afterwards.
TEST_F(ClusterFailuresE2E, ADatabaseRestartGivesErrorsOrWaitsOnEveryNodeAndLosesNothing) {
  if (pg_->pid() == 0) GTEST_SKIP() << "needs a PostgreSQL this test started";
  StartLoad(2);
  std::this_thread::sleep_for(1500ms);
  load_->OpenPolls(2);
  ASSERT_TRUE(pg_->StopImmediately());
  const auto down = Clock::now();
  std::this_thread::sleep_for(3s);
  const auto restarting = Clock::now();
  ASSERT_TRUE(pg_->StartAgain());
  const auto back = Clock::now();
  EXPECT_TRUE(load_->WaitEveryoneSent(back, kMargin + 15s)) << Logs();
  // A new session on every node: the account is made and logs in.
  for (int i = 0; i < kNodes; ++i) {
    const std::string name = FreshName("late");
    std::string last;
    bool in = false;
    for (int attempt = 0; attempt < 50 && !in; ++attempt) {
      try {
        Client c("127.0.0.1", node(i).port());
        const Reply reg = c.Cmd("REGISTER " + name + " " + kPassword, kReplyTimeout);
        last = reg.final;
        if (reg.ok() || reg.code() == "NAME_TAKEN") {
          const Reply login = c.Cmd("LOGIN " + name + " " + kPassword, kReplyTimeout);
          last = login.final;
          in = login.ok() && c.Cmd("LOGOUT").ok();
        }
      } catch (const std::exception& e) {
        last = e.what();
      }
      if (!in) std::this_thread::sleep_for(200ms);
    }
    EXPECT_TRUE(in) << "n" << i + 1 << " does not serve again: " << last;
  }
  ASSERT_TRUE(load_->WaitVotesSettled(kTtl + kMargin));
  load_->Stop();
  {
    // What the outage did, node by node: commands sent while the database
    // was down were answered ERR INTERNAL or waited for it; an OK before
    // it was back would be an acknowledgement nothing durable holds.
    std::lock_guard lock(load_->ledger().mu);
    std::vector<int> errors(kNodes), waited(kNodes), answered(kNodes);
    for (const auto& c : load_->ledger().commands) {
      if (c.sent <= down || c.sent >= restarting) continue;
      const int n = accounts_[c.account].home;
      ++answered[n];
      if (c.result == "INTERNAL") ++errors[n];
      if (c.result != "INTERNAL" && c.answered >= restarting) ++waited[n];
      EXPECT_FALSE(c.result == "OK" && c.answered < restarting)
          << c.verb << " by " << accounts_[c.account].name
          << " acknowledged while the store was down";
    }
    for (int n = 0; n < kNodes; ++n) {
      EXPECT_GT(errors[n] + waited[n], 0) << "n" << n + 1 << ": the outage went unseen";
      std::cout << "[ cluster  ] n" << n + 1 << " during the outage: " << answered[n]
                << " commands, " << errors[n] << " ERR INTERNAL, " << waited[n]
                << " answered once the database was back\n";
    }
  }
  ExpectNothingLost({});
}

}  // namespace
}  // namespace caucus::test
