// Several caucusd nodes of one deployment, on loopback: one store shared by
// all (here the SQLite file of a shared data directory, as processes on one
// machine may share it) and a real nats-server as the bus. Clients are
// spread over the nodes; every rule checked here is one that must hold
// across nodes (issue: several nodes on PostgreSQL and NATS).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <thread>

#include "bus/testing/nats_server.h"
#include "haproxy.h"
#include "harness.h"
#include "store/testing/temp_postgres.h"

namespace caucus::test {
namespace {

using namespace std::chrono_literals;

// The port of a URL whose host is followed by ":<port>" (after any "user@"),
// and the same URL with another port.
size_t PortColon(const std::string& url) {
  const size_t at = url.find('@');
  return url.find(':', at == std::string::npos ? url.find("//") : at);
}
uint16_t PortOf(const std::string& url) {
  return static_cast<uint16_t>(std::stoi(url.substr(PortColon(url) + 1)));
}
std::string WithPort(const std::string& url, uint16_t port) {
  const size_t colon = PortColon(url);
  const size_t end = url.find('/', colon);
  return url.substr(0, colon + 1) + std::to_string(port) +
         (end == std::string::npos ? std::string() : url.substr(end));
}

class ClusterE2E : public ::testing::Test {
 protected:
  void SetUp() override { Start(std::string()); }
  // Two nodes on `store` (a --store URL; empty: the SQLite file of the
  // shared data directory).
  void Start(const std::string& store) { Start(std::vector<std::string>{store, store}); }
  // Node i on stores[i], which all reach one database, and on buses[i]
  // (missing or empty: the test's nats-server, started here if need be).
  void Start(const std::vector<std::string>& stores, const std::vector<std::string>& buses = {}) {
    if (bus::testing::NatsServer::Binary().empty()) GTEST_SKIP() << "nats-server is not installed";
    if (!nats_) nats_ = std::make_unique<bus::testing::NatsServer>();
    for (size_t i = 0; i < stores.size(); ++i) {
      const std::string bus = i < buses.size() && !buses[i].empty() ? buses[i] : nats_->url();
      std::vector<std::string> options{"--bus",      bus, "--node-id", "n" + std::to_string(i + 1),
                                       "--node-ttl", "3"};
      if (!stores[i].empty()) options.insert(options.end(), {"--store", stores[i]});
      nodes_.push_back(std::make_unique<ServerProcess>(options, data_.path()));
    }
    // Both nodes have heard each other once a session on one shows on the other.
    const std::string probe = FreshName("probe");
    Register(*nodes_[0], probe);
    auto watcher = LoggedIn(*nodes_[1], FreshName("w"));
    auto on_first = std::make_unique<Client>("127.0.0.1", nodes_[0]->port());
    ASSERT_TRUE(on_first->Cmd("LOGIN " + probe + " password-123").ok());
    watcher->WaitEvent("PRESENCE " + probe + " online", 15s);
  }
  ServerProcess& node(int i) { return *nodes_[static_cast<size_t>(i)]; }

  TempDir data_;
  std::unique_ptr<bus::testing::NatsServer> nats_;
  std::vector<std::unique_ptr<ServerProcess>> nodes_;
};

// The same, on PostgreSQL: for what a store shared as one SQLite file cannot
// promise. A node stopped (SIGSTOP) in the middle of a write holds SQLite's
// write lock, and the other nodes' writes, their heartbeats among them,
// wait until it resumes or dies: they cannot declare it gone.
class ClusterOnPostgresE2E : public ClusterE2E {
 protected:
  void SetUp() override {
    std::string why;
    store::testing::TempPostgres* pg = store::testing::TempPostgres::Get(&why);
    if (pg == nullptr) GTEST_SKIP() << why;
    Start(pg->NewDatabase());
  }
};

// The same, with node 2 reaching PostgreSQL through HAProxy, which a test
// stops: node 2 alone loses the store (its beats fail) while node 1 and
// the bus carry on.
class ClusterStoreCutE2E : public ClusterE2E {
 protected:
  void SetUp() override {
    if (HaProxy::Binary().empty()) GTEST_SKIP() << "haproxy is not installed";
    std::string why;
    store::testing::TempPostgres* pg = store::testing::TempPostgres::Get(&why);
    if (pg == nullptr) GTEST_SKIP() << why;
    const std::string url = pg->NewDatabase();  // postgresql://user@127.0.0.1:<port>/<db>
    proxy_ = std::make_unique<HaProxy>(std::vector<uint16_t>{PortOf(url)});
    Start({url, WithPort(url, proxy_->port())});
  }
  std::unique_ptr<HaProxy> proxy_;
};

// The same, with node 2 reaching the bus through HAProxy too: node 2 alone
// loses the store and the bus at once, as a machine whose network fails
// does, while node 1 carries on; the proxies come back on their ports.
class ClusterCutOffE2E : public ClusterE2E {
 protected:
  void SetUp() override {
    if (HaProxy::Binary().empty()) GTEST_SKIP() << "haproxy is not installed";
    if (bus::testing::NatsServer::Binary().empty()) GTEST_SKIP() << "nats-server is not installed";
    std::string why;
    store::testing::TempPostgres* pg = store::testing::TempPostgres::Get(&why);
    if (pg == nullptr) GTEST_SKIP() << why;
    const std::string url = pg->NewDatabase();
    nats_ = std::make_unique<bus::testing::NatsServer>();
    store_ = PortOf(url);
    bus_ = PortOf(nats_->url());
    RestoreStore();
    RestoreBus();
    Start({url, WithPort(url, store_proxy_->port())},
          {"", WithPort(nats_->url(), bus_proxy_->port())});
  }
  // Cuts node 2's paths (their connections end and new ones are refused).
  void Cut() {
    store_proxy_.reset();
    bus_proxy_.reset();
  }
  // Opens them again, on the same ports.
  void RestoreStore() {
    store_proxy_ = std::make_unique<HaProxy>(std::vector<uint16_t>{store_}, store_front_);
    store_front_ = store_proxy_->port();
  }
  void RestoreBus() {
    bus_proxy_ = std::make_unique<HaProxy>(std::vector<uint16_t>{bus_}, bus_front_);
    bus_front_ = bus_proxy_->port();
  }
  uint16_t store_ = 0, bus_ = 0;              // PostgreSQL's and nats-server's ports
  uint16_t store_front_ = 0, bus_front_ = 0;  // the proxies' (0: not chosen yet)
  std::unique_ptr<HaProxy> store_proxy_, bus_proxy_;
};

TEST_F(ClusterE2E, AnAccountMadeOnOneNodeLogsInAtOnceOnTheOther) {
  const std::string name = FreshName("acc");
  Register(node(0), name);
  Client other("127.0.0.1", node(1).port());
  EXPECT_TRUE(other.Cmd("LOGIN " + name + " password-123").ok());
}

TEST_F(ClusterE2E, PresenceAndWhoCoverBothNodes) {
  const std::string a = FreshName("a"), b = FreshName("b");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  ca->WaitEvent("PRESENCE " + b + " online");
  const Reply who = ca->Cmd("WHO");
  bool listed = false;
  for (const auto& line : who.data) listed = listed || line.rfind("USER " + b + " ", 0) == 0;
  EXPECT_TRUE(listed) << "WHO on node 1 lists " << b << " of node 2";
  cb->Cmd("LOGOUT");
  ca->WaitEvent("PRESENCE " + b + " offline");
}

TEST_F(ClusterE2E, DirectMessagesCrossNodesLiveAndStored) {
  const std::string a = FreshName("a"), b = FreshName("b"), c = FreshName("c");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  ca->WaitEvent("PRESENCE " + b + " online");
  const Reply live = ca->Cmd("SEND " + b + " :across");
  ASSERT_TRUE(live.ok()) << live.final;
  EXPECT_EQ(live.params.back(), "delivered");
  const std::string msg = cb->WaitEvent("MSG " + live.params[2] + " ");
  EXPECT_NE(msg.find(" " + a + " dm :across"), std::string::npos) << msg;
  // Forwarded while it was stored, and off the queue once handed over: b's
  // next login (on the other node) does not get it again.
  std::this_thread::sleep_for(1s);  // the acknowledgement's commit
  cb->Cmd("LOGOUT");
  {
    Client again("127.0.0.1", node(0).port());
    ASSERT_TRUE(again.Cmd("LOGIN " + b + " password-123").ok());
    EXPECT_FALSE(again.EventArrives("MSG " + live.params[2] + " ", 1s)) << "delivered twice";
    again.Cmd("LOGOUT");
  }
  cb = std::make_unique<Client>("127.0.0.1", node(1).port());
  ASSERT_TRUE(cb->Cmd("LOGIN " + b + " password-123").ok());
  ca->WaitEvent("PRESENCE " + b + " online");

  // Stored on node 1 for an account that then logs in on node 2: once.
  Register(node(1), c);
  const Reply stored = ca->Cmd("SEND " + c + " :while away");
  ASSERT_TRUE(stored.ok()) << stored.final;
  EXPECT_EQ(stored.params.back(), "stored");
  auto cc = std::make_unique<Client>("127.0.0.1", node(1).port());
  ASSERT_TRUE(cc->Cmd("LOGIN " + c + " password-123").ok());
  cc->WaitEvent("MSG " + stored.params[2] + " ");
  EXPECT_FALSE(cc->EventArrives("MSG " + stored.params[2] + " ", 500ms)) << "delivered twice";
  // Ids are unique across the nodes.
  const Reply back = cb->Cmd("SEND " + a + " :and back");
  ASSERT_TRUE(back.ok());
  EXPECT_NE(back.params[2], live.params[2]);
  EXPECT_NE(back.params[2], stored.params[2]);
}

TEST_F(ClusterE2E, BroadcastCountsAndReachesEveryNode) {
  const std::string a = FreshName("a"), b = FreshName("b");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  ca->WaitEvent("PRESENCE " + b + " online");
  const Reply r = ca->Cmd("BROADCAST :hello all");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_GE(std::stoi(r.params[4]), 1);  // b, and the probe of SetUp
  cb->WaitEvent("MSG " + r.params[2] + " ");
}

TEST_F(ClusterE2E, SecondLoginOnAnotherNodeFollowsThePolicyAfterThePassword) {
  const std::string a = FreshName("a");
  auto first = LoggedIn(node(0), a);
  Client watcher("127.0.0.1", node(1).port());
  // The other node knows the account is online: a right password is refused,
  // a wrong one is counted like any other.
  Reply r;
  for (int i = 0; i < 100; ++i) {
    r = watcher.Cmd("LOGIN " + a + " password-123");
    if (r.code() == "ALREADY_ONLINE") break;
    ASSERT_TRUE(r.ok()) << r.final;  // not yet heard: logged in; try again
    watcher.Cmd("LOGOUT");
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(r.code(), "ALREADY_ONLINE");
  Client guesser("127.0.0.1", node(1).port());
  EXPECT_EQ(guesser.Cmd("LOGIN " + a + " wrong-password").code(), "AUTH_FAILED");
}

TEST_F(ClusterE2E, ADeadNodesUsersGoOfflineWithinTheTtl) {
  const std::string a = FreshName("a"), b = FreshName("b");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  ca->WaitEvent("PRESENCE " + b + " online");
  node(1).Kill9();
  // --node-ttl 3: offline after about 3 s; the wait allows 15.
  ca->WaitEvent("PRESENCE " + b + " offline", 15s);
}

TEST_F(ClusterE2E, InvitationsCrossNodesBothWays) {
  const std::string a = FreshName("a"), b = FreshName("b");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  ASSERT_TRUE(ca->Cmd("P2P 5000").ok());
  ASSERT_TRUE(cb->Cmd("P2P 6000 6001").ok());
  // b's node knows a takes invitations once a's ports have reached it.
  Reply invite;
  for (int i = 0; i < 100; ++i) {
    invite = cb->Cmd("INVITE " + a + " chat");
    if (invite.ok()) break;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(invite.ok()) << invite.final;
  const std::string id = invite.params[2];
  ca->WaitEvent("INVITED " + id + " " + b + " chat");
  const Reply accept = ca->Cmd("ACCEPT " + id);
  ASSERT_TRUE(accept.ok()) << accept.final;
  const std::string accepted = cb->WaitEvent("ACCEPTED " + id + " ");
  // The address and ports are the invitee's as its own node saw them.
  EXPECT_EQ(accepted, "ACCEPTED " + id + " " + a + " 127.0.0.1 5000 - " + accept.params[3]);

  // The other way, declined.
  const Reply again = ca->Cmd("INVITE " + b + " file 10 " + std::string(64, 'a') + " :f.txt");
  ASSERT_TRUE(again.ok()) << again.final;
  const std::string id2 = again.params[2];
  cb->WaitEvent("INVITED " + id2 + " " + a + " file 10 ");
  EXPECT_EQ(ca->Cmd("ACCEPT " + id2).code(), "NO_SUCH_INVITE") << "not the inviter's to accept";
  ASSERT_TRUE(cb->Cmd("DECLINE " + id2).ok());
  ca->WaitEvent("DECLINED " + id2 + " " + b);
}

TEST_F(ClusterE2E, WrongPasswordsAddUpAcrossNodes) {
  const std::string a = FreshName("a");
  Register(node(0), a);
  // --max-attempts 3 (the default): the third wrong guess locks, wherever it lands.
  Reply r;
  for (int i = 0; i < 3; ++i) {
    Client guesser("127.0.0.1", node(i % 2).port());
    r = guesser.Cmd("LOGIN " + a + " wrong-password");
    if (i < 2) {
      ASSERT_EQ(r.code(), "AUTH_FAILED") << r.final;
      EXPECT_EQ(r.params.at(3), std::to_string(2 - i)) << "guess " << i + 1 << " on node " << i % 2;
    }
  }
  EXPECT_EQ(r.code(), "LOCKED") << r.final;
  Client right("127.0.0.1", node(1).port());
  EXPECT_EQ(right.Cmd("LOGIN " + a + " password-123").code(), "LOCKED") << "locked on every node";
}

TEST_F(ClusterE2E, APollMadeOnOneNodeIsAdministeredAndVotedOnTheOther) {
  std::string out;
  ASSERT_EQ(node(0).Cli({"users", "add", "root", "--admin"}, "root-password-1\n", &out), 0) << out;
  ASSERT_EQ(node(0).Cli({"users", "add", "root2", "--admin"}, "root-password-2\n", &out), 0) << out;
  Client admin1("127.0.0.1", node(0).port());
  ASSERT_TRUE(admin1.Cmd("LOGIN root root-password-1").ok());
  const Reply made = admin1.Cmd("POLLNEW - +60 - :Lunch?");
  ASSERT_TRUE(made.ok()) << made.final;
  const std::string id = made.params[2];
  Client admin2("127.0.0.1", node(1).port());
  ASSERT_TRUE(admin2.Cmd("LOGIN root2 root-password-2").ok());
  // At once on the other node: the change feed is read before NO_SUCH_POLL.
  ASSERT_TRUE(admin2.Cmd("POLLOPTION " + id + " :Pizza").ok());
  ASSERT_TRUE(admin1.Cmd("POLLOPTION " + id + " :Sushi").ok());
  const std::string v = FreshName("v");
  auto voter = LoggedIn(node(1), v);
  ASSERT_TRUE(admin1.Cmd("POLLOPEN " + id).ok());
  voter->WaitEvent("POLL " + id + " open ");
  const Reply vote = voter->Cmd("VOTE " + id + " 2");
  ASSERT_TRUE(vote.ok()) << vote.final;
  auto voter_again = std::make_unique<Client>("127.0.0.1", node(0).port());
  EXPECT_EQ(voter_again->Cmd("LOGIN " + v + " password-123").code(), "ALREADY_ONLINE");
  ASSERT_TRUE(admin2.Cmd("POLLCLOSE " + id).ok());
  const Reply results = admin1.Cmd("RESULTS " + id);
  ASSERT_TRUE(results.ok()) << results.final;
}

// The bus goes away for a while: each node keeps serving its own clients,
// a direct message across nodes waits in the store, and when the broker is
// back presence converges and the message arrives (once).
TEST_F(ClusterE2E, TheBusGoesAwayAndComesBackAndNothingIsLost) {
  const std::string a = FreshName("a"), b = FreshName("b");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  ca->WaitEvent("PRESENCE " + b + " online");
  nats_->Stop();
  const Reply sent = ca->Cmd("SEND " + b + " :while the bus is down");
  ASSERT_TRUE(sent.ok()) << sent.final;
  EXPECT_TRUE(ca->Cmd("WHO").ok()) << "the node still serves its clients";
  std::this_thread::sleep_for(2s);  // the outage itself: a while, shorter than the TTL (3 s)
  nats_->Start();
  // Delivered once the bus is back: node 2 looks in the store for its
  // online accounts when it reconnects.
  cb->WaitEvent("MSG " + sent.params[2] + " ", 15s);
  EXPECT_FALSE(cb->EventArrives("MSG " + sent.params[2] + " ", 500ms)) << "delivered twice";
  // Presence converges: a new session on node 2 is seen on node 1.
  const std::string c = FreshName("c");
  auto cc = LoggedIn(node(1), c);
  ca->WaitEvent("PRESENCE " + c + " online", 15s);
}

// Liveness is in the store: a bus outage longer than the TTL declares
// nobody gone, and what happened meanwhile (a logout whose DETACH was lost)
// is mended by the session lists the nodes tell when the bus is back.
TEST_F(ClusterE2E, ABusOutageLongerThanTheTtlDropsNobodyAndPresenceConverges) {
  const std::string a = FreshName("a"), b = FreshName("b"), c = FreshName("c");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  auto cc = LoggedIn(node(1), c);
  ca->WaitEvent("PRESENCE " + c + " online");
  nats_->Stop();
  ASSERT_TRUE(cc->Cmd("LOGOUT").ok());  // its DETACH goes nowhere
  std::this_thread::sleep_for(6s);      // twice the TTL (3 s)
  EXPECT_FALSE(ca->EventArrives("PRESENCE " + b + " offline", 10ms))
      << "a quiet bus declared a live node gone";
  nats_->Start();
  ca->WaitEvent("PRESENCE " + c + " offline", 15s);
  const Reply who = ca->Cmd("WHO");
  ASSERT_TRUE(who.ok());
  auto listed = [&](const std::string& name) {
    for (const auto& line : who.data) {
      if (line.rfind("USER " + name + " ", 0) == 0) return true;
    }
    return false;
  };
  EXPECT_TRUE(listed(b));
  EXPECT_FALSE(listed(c));
  EXPECT_FALSE(ca->EventArrives("PRESENCE " + b + " offline", 1s));
}

// A node paused past its TTL is declared gone by the others; when it runs
// again it ends its sessions (BYE SHUTDOWN) so nobody is shown online twice
// or on a node that was not serving them, and its clients can come back.
TEST_F(ClusterOnPostgresE2E, ANodePausedPastItsTtlEndsItsSessions) {
  const std::string a = FreshName("a"), b = FreshName("b");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  ca->WaitEvent("PRESENCE " + b + " online");
  ::kill(node(1).pid(), SIGSTOP);
  try {
    ca->WaitEvent("PRESENCE " + b + " offline", 15s);
  } catch (const std::exception& e) {
    ::kill(node(1).pid(), SIGCONT);
    FAIL() << e.what() << "\nn1:\n" << node(0).Log() << "\nn2:\n" << node(1).Log();
  }
  ::kill(node(1).pid(), SIGCONT);
  const auto closed = cb->WaitClosed(15s);
  ASSERT_FALSE(closed.empty());
  EXPECT_EQ(closed.back().rfind("BYE SHUTDOWN", 0), 0u) << closed.back();
  // b logs in again, on the other node: online once.
  Client again("127.0.0.1", node(0).port());
  ASSERT_TRUE(again.Cmd("LOGIN " + b + " password-123").ok());
  ca->WaitEvent("PRESENCE " + b + " online");
  EXPECT_FALSE(ca->EventArrives("PRESENCE " + b + " online", 1s)) << "shown online twice";
}

// A node cut off from the store alone cannot tell from its failing beats
// whether the others judged it: node 1 declares it gone and tells it so on
// the bus, and it ends its sessions (BYE SHUTDOWN), which node 1 has
// dropped from presence, rather than serve them unseen (kicks of the
// multi-login policy, of a revoked token or a lock would not reach them).
// Their clients come back on a node that has the store.
TEST_F(ClusterStoreCutE2E, ANodeCutOffFromTheStoreAloneEndsItsSessions) {
  const std::string a = FreshName("a"), b = FreshName("b");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  ca->WaitEvent("PRESENCE " + b + " online");
  proxy_.reset();  // node 2's connections to PostgreSQL end, and new ones are refused
  ca->WaitEvent("PRESENCE " + b + " offline", 15s);
  const auto closed = cb->WaitClosed(15s);
  ASSERT_FALSE(closed.empty()) << "n2:\n" << node(1).Log();
  EXPECT_EQ(closed.back().rfind("BYE SHUTDOWN", 0), 0u) << closed.back();
  Client again("127.0.0.1", node(0).port());
  ASSERT_TRUE(again.Cmd("LOGIN " + b + " password-123").ok());
  ca->WaitEvent("PRESENCE " + b + " online");
  EXPECT_FALSE(ca->EventArrives("PRESENCE " + b + " online", 1s)) << "shown online twice";
  EXPECT_TRUE(ca->Cmd("SEND " + b + " :after the cut").ok());
  again.WaitEvent("MSG ");
}

// A node cut off from the store and the bus at once hears no GONE: node 1
// declares it gone by its beats, and node 2, with neither its beats nor the
// bus for a TTL and a beat, ends its sessions by itself while still cut
// off (BYE SHUTDOWN). The store comes back first, and a session begins on
// node 2 before the bus returns: node 2's HELLO says it fenced, so node 1
// does not ask it to fence again, and the session stays, seen once on both
// nodes.
TEST_F(ClusterCutOffE2E, ANodeCutOffFromTheStoreAndTheBusEndsItsSessionsByItself) {
  const std::string a = FreshName("a"), b = FreshName("b");
  auto ca = LoggedIn(node(0), a);
  auto cb = LoggedIn(node(1), b);
  ca->WaitEvent("PRESENCE " + b + " online", 15s);
  Cut();
  ca->WaitEvent("PRESENCE " + b + " offline", 15s);
  const auto closed = cb->WaitClosed(15s);
  ASSERT_FALSE(closed.empty()) << "n2:\n" << node(1).Log();
  EXPECT_EQ(closed.back().rfind("BYE SHUTDOWN", 0), 0u) << closed.back();
  RestoreStore();
  // b on node 2 again, once its store answers; then the bus.
  std::unique_ptr<Client> again;
  for (int attempt = 0;; ++attempt) {
    try {
      again = std::make_unique<Client>("127.0.0.1", node(1).port());
      if (again->Cmd("LOGIN " + b + " password-123").ok()) break;
    } catch (const std::runtime_error&) {  // no answer while the store reconnects
    }
    ASSERT_LT(attempt, 60) << "n2:\n" << node(1).Log();
    std::this_thread::sleep_for(250ms);
  }
  RestoreBus();
  ca->WaitEvent("PRESENCE " + b + " online", 15s);
  std::this_thread::sleep_for(3s);  // a TTL: a GONE answering its HELLO would have come
  EXPECT_TRUE(again->Cmd("WHO").ok()) << "fenced again:\n" << node(1).Log();
  EXPECT_FALSE(ca->EventArrives("PRESENCE " + b + " offline", 10ms));
  const Reply who = ca->Cmd("WHO");
  ASSERT_TRUE(who.ok());
  int listed = 0;
  for (const auto& line : who.data) listed += line.rfind("USER " + b + " ", 0) == 0;
  EXPECT_EQ(listed, 1);
  EXPECT_TRUE(ca->Cmd("SEND " + b + " :after the cut").ok());
  again->WaitEvent("MSG ", 15s);
}

// A LOGIN or RESUME waits for the cluster's view of its account to be
// current; a client that leaves meanwhile ended the session under the
// waiting login, which then read it (SIGSEGV on every node at once, found
// by bench/cluster). Many RESUMEs sent and closed at once on both nodes.
TEST_F(ClusterE2E, ResumesWhoseClientsLeaveAtOnceLeaveEveryNodeServing) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 10; ++i) {
    const std::string name = FreshName("r");
    Register(node(i % 2), name);
    Client c("127.0.0.1", node(i % 2).port());
    const Reply r = c.Cmd("LOGIN " + name + " password-123");
    ASSERT_TRUE(r.ok()) << r.final;
    ASSERT_EQ(r.params.size(), 4u) << r.final;
    tokens.push_back(r.params[3]);
  }  // dropped, not logged out: the tokens stay valid
  for (int round = 0; round < 10; ++round) {
    std::vector<std::unique_ptr<Client>> leaving;
    for (size_t i = 0; i < tokens.size() * 2; ++i) {
      const int n = static_cast<int>(i % 2);
      try {
        leaving.push_back(std::make_unique<Client>("127.0.0.1", node(n).port()));
        leaving.back()->Send("RESUME " + tokens[i % tokens.size()]);
      } catch (const std::exception& e) {
        FAIL() << "round " << round << ", node " << n + 1 << ": " << e.what() << "\n"
               << node(n).Log();
      }
    }
    leaving.clear();  // closed at once, replies unread
    // (Under the per-address limit of connections at once: 32 a node.)
    std::this_thread::sleep_for(100ms);
  }
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(::kill(node(i).pid(), 0), 0) << "node " << i + 1 << " is gone";
    Client c("127.0.0.1", node(i).port());
    const Reply r = c.Cmd("RESUME " + tokens[static_cast<size_t>(i)]);
    EXPECT_TRUE(r.ok()) << "node " << i + 1 << ": " << r.final;
  }
}

}  // namespace
}  // namespace caucus::test
