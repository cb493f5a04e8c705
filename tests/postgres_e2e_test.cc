// End to end on a PostgreSQL store (--store): the crash, outage, secrecy
// and command-line tests of the SQLite store, and `caucusd store copy`
// from SQLite. PostgreSQL is a throwaway server this test process starts
// (src/store/testing/temp_postgres.h); without PostgreSQL installed the
// tests are skipped.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "harness.h"
#include "store/testing/temp_postgres.h"
#include "web_client.h"

namespace caucus::test {
namespace {

using namespace std::chrono_literals;
using store::testing::TempPostgres;
namespace bh = boost::beast::http;

const std::string kPassword = "password-123";
const std::string kAdminPassword = "admin-password-1";

// Column 0 of every row of `sql` on `url`; throws on an error.
std::vector<std::string> Column(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::vector<std::string> out;
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(r); ++i) out.emplace_back(PQgetvalue(r, i, 0));
    } else {
      error = PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  PQfinish(conn);
  if (!error.empty()) throw std::runtime_error(sql + ": " + error);
  return out;
}

std::string Scalar(const std::string& url, const std::string& sql) {
  auto column = Column(url, sql);
  return column.empty() ? "" : column[0];
}

std::unique_ptr<Client> Admin(const ServerProcess& server, const std::string& name) {
  std::string out;
  if (server.Cli({"users", "add", name, "--admin"}, kAdminPassword + "\n", &out) != 0) {
    throw std::runtime_error("users add: " + out);
  }
  return LoginWhenKnown(server, name, kAdminPassword);
}

std::string OpenPoll(Client& admin, const std::string& flags, int options = 3) {
  auto r = admin.Cmd("POLLNEW - +3600 " + flags + " :Poll " + FreshName("t"));
  if (!r.ok()) throw std::runtime_error(r.final);
  const std::string id = r.params[2];
  for (int i = 1; i <= options; ++i) {
    if (!admin.Cmd("POLLOPTION " + id + " :Option " + std::to_string(i)).ok()) {
      throw std::runtime_error("POLLOPTION");
    }
  }
  if (!admin.Cmd("POLLOPEN " + id).ok()) throw std::runtime_error("POLLOPEN");
  return id;
}

// Runs caucusd with `args` (no harness: it may not start); its exit
// status, with stderr and stdout in *output.
int RunCaucusd(const std::vector<std::string>& args, std::string* output) {
  std::string cmd = CAUCUSD_PATH;
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " 2>&1 </dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  output->clear();
  while ((n = ::fread(buf, 1, sizeof buf, p)) > 0) output->append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Waits (at most a minute, to fail instead of hanging) until `done`.
bool WaitUntil(const std::function<bool()>& done) {
  for (int i = 0; i < 60000 && !done(); ++i) std::this_thread::sleep_for(1ms);
  return done();
}

class PostgresE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    pg_ = TempPostgres::Get(&why);
    if (pg_ == nullptr) GTEST_SKIP() << why;
    url_ = pg_->NewDatabase();
  }
  std::vector<std::string> StoreOptions(std::vector<std::string> more = {}) const {
    more.push_back("--store");
    more.push_back(url_);
    return more;
  }

  TempPostgres* pg_ = nullptr;
  std::string url_;
};

// What voters and senders had acknowledged.
struct Acked {
  std::mutex mu;
  std::vector<std::tuple<std::string, std::string, int>> ballots;  // poll, receipt, option
  std::set<std::string> messages;                                  // ids of stored SENDs
  std::set<std::pair<int, size_t>> voted;                          // (voter, poll)
  std::atomic<int> acks{0};
  std::atomic<int> internal{0};  // ERR ... INTERNAL
};

// One voter: votes in each poll not yet voted in and sends a stored
// message to `inbox` between votes, until its connection ends or `stop`.
void VoteAndSend(uint16_t port, int v, const std::string& name, const std::string& inbox,
                 const std::vector<std::string>& polls, Acked* acked, std::atomic<bool>* stop) {
  try {
    Client c("127.0.0.1", port);
    if (!c.Cmd("LOGIN " + name + " " + kPassword).ok()) return;
    for (int k = 0; !*stop; ++k) {
      auto sent = c.Cmd("SEND " + inbox + " :from " + name + " " + std::to_string(k));
      if (sent.ok()) {
        std::lock_guard lock(acked->mu);
        acked->messages.insert(sent.params[2]);
        ++acked->acks;
      } else if (sent.code() == "INTERNAL") {
        ++acked->internal;
        std::this_thread::sleep_for(10ms);  // the store is out: not so fast
      } else {
        return;
      }
      for (size_t p = 0; p < polls.size(); ++p) {
        {
          std::lock_guard lock(acked->mu);
          if (acked->voted.count({v, p})) continue;
        }
        const int option = 1 + (v + static_cast<int>(p)) % 3;
        auto r = c.Cmd("VOTE " + polls[p] + " " + std::to_string(option));
        if (r.code() == "INTERNAL") {
          ++acked->internal;
          break;
        }
        if (!r.ok() && r.code() != "ALREADY_VOTED") return;
        std::lock_guard lock(acked->mu);
        acked->voted.insert({v, p});
        if (r.ok()) acked->ballots.emplace_back(polls[p], r.params[3], option);
        ++acked->acks;
        break;
      }
    }
  } catch (const std::exception&) {
    // The server died under this voter.
  }
}

// Every acknowledged ballot verifies with its option, and every
// acknowledged stored message reaches `inbox`, once.
void ExpectAllAcknowledgedThere(const ServerProcess& server, const std::string& checker,
                                const std::string& inbox, Acked& acked) {
  auto c = LoginWhenKnown(server, checker, kPassword);
  for (const auto& [poll, receipt, option] : acked.ballots) {
    auto r = c->Cmd("VERIFY " + poll + " " + receipt);
    ASSERT_TRUE(r.ok()) << "acknowledged ballot lost: " << poll << " " << receipt;
    EXPECT_EQ(r.params[3], std::to_string(option));
  }
  auto reader = LoginWhenKnown(server, inbox, kPassword);
  std::set<std::string> expected = acked.messages;
  std::set<std::string> delivered;
  while (!expected.empty()) {
    std::string event;
    try {
      event = reader->WaitEvent("MSG ");
    } catch (const std::exception& e) {
      const std::string log = server.Log();
      FAIL() << expected.size() << " acknowledged messages never arrived, e.g. "
             << *expected.begin() << " (" << e.what() << ")\nserver log (end):\n"
             << log.substr(log.size() > 3000 ? log.size() - 3000 : 0);
    }
    const std::string id = Params(event)[1];
    EXPECT_TRUE(delivered.insert(id).second) << "delivered twice: " << event;
    expected.erase(id);
  }
}

TEST_F(PostgresE2E, KillNineLosesNoAcknowledgedBallotOrStoredMessage) {
  constexpr int kVoters = 12, kPolls = 6, kRounds = 3;
  // A big --send-queue: the inbox's login delivers thousands of stored
  // messages at once, and the test reads them one by one.
  ServerProcess server(StoreOptions({"--max-connections-per-ip", "0", "--hash-threads", "2",
                                     "--commands-per-second", "0", "--send-queue", "268435456"}));
  auto admin = Admin(server, FreshName("boss"));
  std::vector<std::string> polls;
  for (int i = 0; i < kPolls; ++i) polls.push_back(OpenPoll(*admin, "-"));
  admin.reset();
  std::vector<std::string> names;
  for (int i = 0; i < kVoters; ++i) {
    names.push_back(FreshName("k"));
    Register(server, names.back());
  }
  const std::string inbox = FreshName("inbox");
  Register(server, inbox);

  Acked acked;
  for (int round = 0; round < kRounds; ++round) {
    std::atomic<bool> stop{false};
    const int start = acked.acks;
    std::vector<std::thread> threads;
    for (int v = 0; v < kVoters; ++v) {
      threads.emplace_back(VoteAndSend, server.port(), v, names[v], inbox, std::cref(polls), &acked,
                           &stop);
    }
    ASSERT_TRUE(WaitUntil([&] { return acked.acks >= start + 30; })) << server.Log();
    server.Kill9();
    stop = true;
    for (auto& t : threads) t.join();
    server.Start();
  }
  ExpectAllAcknowledgedThere(server, names[0], inbox, acked);
  // No half-ballot: as many ballots as voters' marks, poll by poll.
  EXPECT_EQ(Scalar(url_,
                   "SELECT count(*) FROM (SELECT poll, count(*) AS n FROM poll_voters GROUP BY "
                   "poll) v FULL JOIN (SELECT poll, count(DISTINCT receipt) AS n FROM ballots "
                   "GROUP BY poll) b USING (poll) WHERE b.n IS DISTINCT FROM v.n"),
            "0");
}

TEST_F(PostgresE2E, ADatabaseOutageGivesErrorsNeverAFalseOkAndTheServerReconnects) {
  if (pg_->pid() == 0) GTEST_SKIP() << "needs a PostgreSQL this test started";
  constexpr int kVoters = 8, kPolls = 4;
  // A big --send-queue: the inbox's login delivers thousands of stored
  // messages at once, and the test reads them one by one.
  ServerProcess server(StoreOptions({"--max-connections-per-ip", "0", "--hash-threads", "2",
                                     "--commands-per-second", "0", "--send-queue", "268435456"}));
  auto admin = Admin(server, FreshName("boss"));
  std::vector<std::string> polls;
  for (int i = 0; i < kPolls; ++i) polls.push_back(OpenPoll(*admin, "-"));
  admin.reset();
  std::vector<std::string> names;
  for (int i = 0; i < kVoters; ++i) {
    names.push_back(FreshName("o"));
    Register(server, names.back());
  }
  const std::string inbox = FreshName("inbox");
  Register(server, inbox);
  const std::string checker = FreshName("checker");
  Register(server, checker);
  ASSERT_EQ(HttpRequest(server.http_port(), "/readyz").result(), bh::status::ok);

  Acked acked;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int v = 0; v < kVoters; ++v) {
    threads.emplace_back(VoteAndSend, server.port(), v, names[v], inbox, std::cref(polls), &acked,
                         &stop);
  }
  ASSERT_TRUE(WaitUntil([&] { return acked.acks >= 20; })) << server.Log();
  auto probe = LoggedIn(server, FreshName("probe"));
  ASSERT_TRUE(pg_->StopImmediately());
  // The server notices by itself (its writer checks the connection when
  // idle), and says so on /readyz.
  bool unready = false;
  for (int i = 0; i < 200 && !unready; ++i) {
    unready =
        HttpRequest(server.http_port(), "/readyz").result() == bh::status::service_unavailable;
    if (!unready) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(unready) << "/readyz never said 503 while PostgreSQL was down";
  {
    // A durable write meets the outage: an error, never OK.
    auto r = probe->Cmd("SEND " + inbox + " :during the outage");
    EXPECT_FALSE(r.ok()) << r.final;
    EXPECT_EQ(r.code(), "INTERNAL") << r.final;
  }
  const int acks_during = acked.acks;
  ASSERT_TRUE(pg_->StartAgain());
  bool ready = false;
  for (int i = 0; i < 200 && !ready; ++i) {
    ready = HttpRequest(server.http_port(), "/readyz").result() == bh::status::ok;
    if (!ready) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(ready) << "/readyz never said 200 again";
  // The same connections go on writing once the database is back.
  EXPECT_TRUE(WaitUntil([&] { return acked.acks >= acks_during + 20; })) << server.Log();
  stop = true;
  for (auto& t : threads) t.join();
  ExpectAllAcknowledgedThere(server, checker, inbox, acked);
}

TEST(PostgresE2EStart, AWrongOrUnreachableStoreIsOneLineNamingTheOptionAndExit2) {
  TempDir data;
  std::string out;
  EXPECT_EQ(RunCaucusd({"--port", "0", "--http-port", "0", "--data", data.path(), "--store",
                        "postgresql://u@127.0.0.1/db?nosuchoption=1"},
                       &out),
            2);
  EXPECT_NE(out.find("--store"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_EQ(RunCaucusd({"--port", "0", "--http-port", "0", "--data", data.path(), "--store",
                        "mysql://u@127.0.0.1/db"},
                       &out),
            2);
  EXPECT_NE(out.find("--store"), std::string::npos) << out;
  // Nothing listens on port 1: the connection is refused at once.
  EXPECT_EQ(RunCaucusd({"--port", "0", "--http-port", "0", "--data", data.path(), "--store",
                        "postgresql://caucus@127.0.0.1:1/caucus"},
                       &out),
            2);
  EXPECT_NE(out.find("--store postgresql://caucus@127.0.0.1:1/caucus"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

TEST_F(PostgresE2E, AfterTheCloseTheDatabaseHoldsNoLinkBetweenVotersAndChoices) {
  ServerProcess server(StoreOptions());
  auto admin = Admin(server, FreshName("boss"));
  const std::string poll = OpenPoll(*admin, "-");
  const std::string revote = OpenPoll(*admin, "revote");
  std::set<std::string> receipts;
  for (int v = 0; v < 10; ++v) {
    // One voter at a time: each ballot alone in its commit.
    auto c = LoggedIn(server, FreshName("s"));
    auto r = c->Cmd("VOTE " + poll + " " + std::to_string(1 + v % 3));
    ASSERT_TRUE(r.ok()) << r.final;
    receipts.insert(r.params[3]);
    auto first = c->Cmd("VOTE " + revote + " 1");
    ASSERT_TRUE(first.ok());
    auto second = c->Cmd("VOTE " + revote + " 2");
    ASSERT_TRUE(second.ok());
    receipts.insert(first.params[3]);
    receipts.insert(second.params[3]);
  }
  // While open, a ballot alone in its commit shares its xmin with its mark:
  // the link the close must remove (and what makes this test able to fail).
  EXPECT_NE(Scalar(url_,
                   "SELECT count(*) FROM poll_voters v JOIN ballots b ON b.xmin = v.xmin AND "
                   "b.poll = v.poll"),
            "0");
  ASSERT_TRUE(admin->Cmd("POLLCLOSE " + poll).ok());
  ASSERT_TRUE(admin->Cmd("POLLCLOSE " + revote).ok());
  EXPECT_FALSE(std::filesystem::exists(server.data() + "/keys/" + revote + ".key"));

  for (const char* table : {"poll_voters", "ballots"}) {
    EXPECT_EQ(Scalar(url_, std::string("SELECT count(DISTINCT xmin::text) FROM ") + table), "1")
        << table;
  }
  EXPECT_EQ(Scalar(url_,
                   "SELECT count(*) FROM poll_voters v JOIN ballots b ON b.xmin = v.xmin AND "
                   "b.poll = v.poll"),
            Scalar(url_, "SELECT count(*) FROM poll_voters v JOIN ballots b ON b.poll = v.poll"))
      << "every mark shares its xmin with every ballot of its poll, not with one";
  EXPECT_EQ(Column(url_, "SELECT receipt FROM ballots ORDER BY ctid"),
            Column(url_, "SELECT receipt FROM ballots ORDER BY poll, receipt, choice"));
  EXPECT_EQ(
      Column(url_, "SELECT v.account_id::text FROM poll_voters v ORDER BY v.ctid"),
      Column(url_, "SELECT v.account_id::text FROM poll_voters v ORDER BY v.poll, v.account_id"));
  EXPECT_EQ(Scalar(url_, "SELECT count(*) FROM revote_links"), "0");

  // A receipt is in the ballots and nowhere else: no other text column.
  const auto columns = Column(url_,
                              "SELECT table_name || '.' || column_name FROM "
                              "information_schema.columns WHERE table_schema = 'public' AND "
                              "data_type = 'text'");
  ASSERT_FALSE(columns.empty());
  for (const auto& qualified : columns) {
    if (qualified == "ballots.receipt") continue;
    const std::string table = qualified.substr(0, qualified.find('.'));
    const std::string column = qualified.substr(qualified.find('.') + 1);
    // One query (one connection) per column, every receipt in it.
    std::string any;
    for (const auto& receipt : receipts) {
      any += (any.empty() ? "" : " OR ") + std::string("strpos(") + column + ", '" + receipt +
             "') > 0";
    }
    EXPECT_EQ(Scalar(url_, "SELECT count(*) FROM " + table + " WHERE " + any), "0")
        << "a receipt is in " << qualified;
  }
  const std::string log = server.Log();
  for (const auto& receipt : receipts) EXPECT_EQ(log.find(receipt), std::string::npos);
}

TEST_F(PostgresE2E, TheCommandLineChangesWhatTheRunningServerSees) {
  ServerProcess server(StoreOptions());
  auto v = LoggedIn(server, FreshName("v"));
  std::string out;
  ASSERT_EQ(server.Cli({"poll", "create", "--title", "From the shell", "--option", "Yes",
                        "--option", "No", "--duration", "600", "--open"},
                       "", &out),
            0)
      << out;
  const std::string created = out.substr(out.find("created ") + 8);
  const std::string poll = created.substr(0, created.find('\n'));
  v->WaitEvent("POLL " + poll + " open");
  ASSERT_TRUE(v->Cmd("VOTE " + poll + " 1").ok());
  ASSERT_EQ(server.Cli({"poll", "close", poll}, "", &out), 0) << out;
  v->WaitEvent("POLL " + poll + " closed");
  EXPECT_EQ(v->Cmd("VOTE " + poll + " 2").code(), "CLOSED");
  // An account made on the command line logs in to the running server.
  const std::string late = FreshName("late");
  ASSERT_EQ(server.Cli({"users", "add", late}, kPassword + "\n", &out), 0) << out;
  LoginWhenKnown(server, late, kPassword);
  ASSERT_EQ(server.Cli({"users", "list"}, "", &out), 0);
  EXPECT_NE(out.find(late + " user"), std::string::npos) << out;
}

TEST_F(PostgresE2E, StoreCopyMovesASqliteDeploymentThatThenServesFromPostgres) {
  TempDir data;
  std::map<std::string, std::pair<std::string, int>> receipts;  // receipt -> (poll, option)
  std::string alice_token, closed_poll, revote_poll, revote_receipt;
  int last_post = 0;
  const std::string alice = FreshName("alice"), bob = FreshName("bob"), carol = FreshName("carol"),
                    boss = FreshName("boss");
  std::set<std::string> stored;  // ids of messages stored for carol
  {
    ServerProcess sqlite({}, data.path());
    auto admin = Admin(sqlite, boss);
    Register(sqlite, carol);
    auto a = LoggedIn(sqlite, alice, kPassword, &alice_token);
    auto b = LoggedIn(sqlite, bob);
    ASSERT_TRUE(b->Cmd("BLOCK " + alice).ok());
    for (int i = 0; i < 3; ++i) {
      auto r = a->Cmd("SEND " + carol + " :stored " + std::to_string(i));
      ASSERT_TRUE(r.ok());
      ASSERT_EQ(r.params.back(), "stored");
      stored.insert(r.params[2]);
    }
    ASSERT_TRUE(a->Cmd("SEND " + boss + " :live").ok());
    for (int i = 0; i < 3; ++i) {
      auto r = a->Cmd("POST :post " + std::to_string(i));
      ASSERT_TRUE(r.ok());
      last_post = std::stoi(r.params[2]);
    }
    ASSERT_TRUE(a->Cmd("DELETE " + std::to_string(last_post)).ok());  // its number is not reused
    closed_poll = OpenPoll(*admin, "-");
    revote_poll = OpenPoll(*admin, "revote");
    for (auto* c : {a.get(), b.get()}) {
      auto r = c->Cmd("VOTE " + closed_poll + " 2");
      ASSERT_TRUE(r.ok());
      receipts[r.params[3]] = {closed_poll, 2};
    }
    auto r = a->Cmd("VOTE " + revote_poll + " 1");
    ASSERT_TRUE(r.ok());
    revote_receipt = r.params[3];
    ASSERT_TRUE(admin->Cmd("POLLCLOSE " + closed_poll).ok());
    Client wrong("127.0.0.1", sqlite.port());
    ASSERT_FALSE(wrong.Cmd("LOGIN " + carol + " wrong-password").ok());  // a lockout counter
    ASSERT_EQ(sqlite.Stop(), 0);
  }

  std::string out;
  ASSERT_EQ(
      RunCaucusd({"store", "copy", "--from", data.path(), "--data", data.path(), "--store", url_},
                 &out),
      0)
      << out;
  EXPECT_NE(out.find("the counts match"), std::string::npos) << out;
  for (const char* table :
       {"accounts", "tokens", "login_history", "lockouts", "blocks", "messages", "offline_queue",
        "posts", "polls", "poll_options", "poll_voters", "ballots", "revote_links", "audit"}) {
    EXPECT_NE(Scalar(url_, std::string("SELECT count(*) FROM ") + table), "0") << table;
  }
  EXPECT_NE(RunCaucusd({"store", "copy", "--from", data.path(), "--store", url_}, &out), 0);
  EXPECT_NE(out.find("not empty"), std::string::npos) << out;

  ServerProcess pg(StoreOptions(), data.path());
  // Every receipt verifies, the revote poll goes on with its link and key.
  auto a = std::make_unique<Client>("127.0.0.1", pg.port());
  auto resumed = a->Cmd("RESUME " + alice_token);
  ASSERT_TRUE(resumed.ok()) << "the session token came along: " << resumed.final;
  for (const auto& [receipt, where] : receipts) {
    auto r = a->Cmd("VERIFY " + where.first + " " + receipt);
    ASSERT_TRUE(r.ok()) << r.final;
    EXPECT_EQ(r.params[3], std::to_string(where.second));
  }
  auto again = a->Cmd("VOTE " + revote_poll + " 3");
  ASSERT_TRUE(again.ok()) << again.final;
  EXPECT_EQ(a->Cmd("VERIFY " + revote_poll + " " + revote_receipt).code(), "NO_SUCH_RECEIPT");
  EXPECT_EQ(a->Cmd("VERIFY " + revote_poll + " " + again.params[3]).params[3], "3");
  // The board, with its numbers going on past the deleted one.
  auto board = a->Cmd("READ");
  ASSERT_TRUE(board.ok());
  EXPECT_EQ(board.data.size(), 2u);
  auto post = a->Cmd("POST :after the move");
  ASSERT_TRUE(post.ok());
  EXPECT_GT(std::stoi(post.params[2]), last_post);
  // Blocks hold.
  auto b = LoginWhenKnown(pg, bob, kPassword);
  EXPECT_EQ(a->Cmd("SEND " + bob + " :hello").code(), "BLOCKED");
  // Carol's stored messages arrive once.
  {
    auto c = LoginWhenKnown(pg, carol, kPassword);
    std::set<std::string> delivered;
    for (size_t i = 0; i < stored.size(); ++i) {
      delivered.insert(Params(c->WaitEvent("MSG "))[1]);
    }
    EXPECT_EQ(delivered, stored);
    ASSERT_TRUE(c->Cmd("LOGOUT").ok());
  }
  auto c = LoginWhenKnown(pg, carol, kPassword);
  EXPECT_FALSE(c->EventArrives("MSG ", 500ms)) << "a stored message delivered twice";
  // The audit log came along.
  ASSERT_EQ(pg.Cli({"log", "audit", "--since", "2000-01-01T00:00:00Z"}, "", &out), 0);
  EXPECT_NE(out.find(closed_poll), std::string::npos) << out;
}

}  // namespace
}  // namespace caucus::test
