// End to end: polls and votes (issue 4) against the real caucusd.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "harness.h"

namespace caucus::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kPassword = "password-123";
const std::string kAdminPassword = "admin-password-1";

std::unique_ptr<Client> Admin(const ServerProcess& server, const std::string& name) {
  std::string out;
  if (server.Cli({"users", "add", name, "--admin"}, kAdminPassword + "\n", &out) != 0) {
    throw std::runtime_error("users add: " + out);
  }
  return LoginWhenKnown(server, name, kAdminPassword);
}

// POLLNEW + POLLOPTIONs; returns the poll id.
std::string NewPoll(Client& admin, const std::string& flags,
                    const std::vector<std::string>& options, const std::string& closes = "+600") {
  auto r = admin.Cmd("POLLNEW - " + closes + " " + flags + " :Poll " + FreshName("t"));
  if (!r.ok()) throw std::runtime_error(r.final);
  const std::string id = r.params[2];
  for (const auto& o : options) {
    auto ro = admin.Cmd("POLLOPTION " + id + " :" + o);
    if (!ro.ok()) throw std::runtime_error(ro.final);
  }
  return id;
}

std::string Vote(Client& c, const std::string& poll, int option, const std::string& extra = "") {
  auto r = c.Cmd("VOTE " + poll + " " + std::to_string(option) + extra);
  if (!r.ok()) throw std::runtime_error(r.final);
  return r.params[3];
}

std::map<int, int> Tallies(const Reply& r) {
  std::map<int, int> out;
  for (const auto& line : r.data) {
    auto p = Params(line);
    out[std::stoi(p[2])] = std::stoi(p[3]);
  }
  return out;
}

class PollsE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--block-duration", "1"});
    admin_name_ = FreshName("boss");
    admin_ = Admin(*server_, admin_name_).release();
  }
  static void TearDownTestSuite() {
    delete admin_;
    delete server_;
  }
  static ServerProcess* server_;
  static Client* admin_;
  static std::string admin_name_;
};

ServerProcess* PollsE2E::server_ = nullptr;
Client* PollsE2E::admin_ = nullptr;
std::string PollsE2E::admin_name_;

TEST_F(PollsE2E, WhoAmITellsAdminsFromUsers) {
  EXPECT_EQ(admin_->Cmd("WHOAMI").final, "OK WHOAMI " + admin_name_ + " admin");
  const std::string voter = FreshName("wu");
  auto user = LoggedIn(*server_, voter);
  EXPECT_EQ(user->Cmd("WHOAMI").final, "OK WHOAMI " + voter + " user");
  Client anonymous("127.0.0.1", server_->port());
  EXPECT_EQ(anonymous.Cmd("WHOAMI").code(), "NOT_LOGGED_IN");
}

TEST_F(PollsE2E, OneBallotPerAccountWhateverTheConnection) {
  const std::string name = FreshName("v");
  auto v = LoggedIn(*server_, name);
  const std::string poll = NewPoll(*admin_, "-", {"Red", "Green", "Blue"});
  EXPECT_EQ(v->Cmd("VOTE " + poll + " 1").code(), "NOT_OPEN");
  ASSERT_TRUE(admin_->Cmd("POLLOPEN " + poll).ok());
  EXPECT_EQ(v->Cmd("VOTE " + poll + " 4").code(), "NO_SUCH_OPTION");
  EXPECT_EQ(v->Cmd("VOTE " + poll + " abc").code(), "BAD_ARGUMENTS");
  const std::string receipt = Vote(*v, poll, 2);
  EXPECT_GE(receipt.size(), 16u);
  EXPECT_EQ(v->Cmd("VOTE " + poll + " 1").code(), "ALREADY_VOTED");
  ASSERT_TRUE(v->Cmd("LOGOUT").ok());
  Client other("127.0.0.1", server_->port(), "127.0.0.2");
  ASSERT_TRUE(other.Cmd("LOGIN " + name + " " + kPassword).ok());
  EXPECT_EQ(other.Cmd("VOTE " + poll + " 3").code(), "ALREADY_VOTED");
  auto verify = other.Cmd("VERIFY " + poll + " " + receipt);
  ASSERT_TRUE(verify.ok()) << verify.final;
  EXPECT_EQ(verify.params[3], "2");
  EXPECT_EQ(other.Cmd("VERIFY " + poll + " not-a-receipt-at-all").code(), "NO_SUCH_RECEIPT");
  ASSERT_TRUE(admin_->Cmd("POLLCLOSE " + poll).ok());
  EXPECT_EQ(other.Cmd("VOTE " + poll + " 1").code(), "CLOSED");
}

TEST_F(PollsE2E, ResultsHiddenUntilCloseThenCorrect) {
  auto a = LoggedIn(*server_, FreshName("v"));
  auto b = LoggedIn(*server_, FreshName("v"));
  const std::string poll = NewPoll(*admin_, "-", {"Yes", "No"});
  ASSERT_TRUE(admin_->Cmd("POLLOPEN " + poll).ok());
  Vote(*a, poll, 1);
  Vote(*b, poll, 1);
  auto hidden = a->Cmd("RESULTS " + poll);
  EXPECT_EQ(hidden.code(), "RESULTS_HIDDEN");
  auto admin_view = admin_->Cmd("RESULTS " + poll);
  ASSERT_TRUE(admin_view.ok()) << admin_view.final;
  EXPECT_EQ(Tallies(admin_view), (std::map<int, int>{{1, 2}, {2, 0}}));
  auto closed = admin_->Cmd("POLLCLOSE " + poll);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed.params[3], "2");
  auto shown = a->Cmd("RESULTS " + poll);
  ASSERT_TRUE(shown.ok()) << shown.final;
  EXPECT_EQ(Tallies(shown), (std::map<int, int>{{1, 2}, {2, 0}}));
  EXPECT_EQ(shown.params[3], "2");
}

TEST_F(PollsE2E, LiveResultsWhileOpen) {
  auto a = LoggedIn(*server_, FreshName("v"));
  const std::string poll = NewPoll(*admin_, "live", {"Yes", "No"});
  ASSERT_TRUE(admin_->Cmd("POLLOPEN " + poll).ok());
  Vote(*a, poll, 2);
  auto r = a->Cmd("RESULTS " + poll);
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(Tallies(r), (std::map<int, int>{{1, 0}, {2, 1}}));
}

TEST_F(PollsE2E, VoterRollAndEvents) {
  const std::string in_name = FreshName("in");
  auto in = LoggedIn(*server_, in_name);
  auto out = LoggedIn(*server_, FreshName("out"));
  const std::string poll = NewPoll(*admin_, "roll", {"Yes", "No"});
  auto roll = admin_->Cmd("POLLROLL " + poll + " " + in_name);
  ASSERT_TRUE(roll.ok()) << roll.final;
  EXPECT_EQ(roll.params[3], "1");
  ASSERT_TRUE(admin_->Cmd("POLLOPEN " + poll).ok());
  in->WaitEvent("POLL " + poll + " open");
  EXPECT_FALSE(out->EventArrives("POLL " + poll));
  EXPECT_EQ(out->Cmd("VOTE " + poll + " 1").code(), "NOT_ELIGIBLE");
  Vote(*in, poll, 1);
  ASSERT_TRUE(admin_->Cmd("POLLCLOSE " + poll).ok());
  in->WaitEvent("POLL " + poll + " closed");
  auto r = out->Cmd("RESULTS " + poll);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.params[3], "1");  // ballots
  EXPECT_EQ(r.params[4], "1");  // eligible: the roll
}

TEST_F(PollsE2E, PasswordProtectedVoting) {
  auto v = LoggedIn(*server_, FreshName("v"));
  const std::string poll = NewPoll(*admin_, "vote-password", {"Yes", "No"});
  ASSERT_TRUE(admin_->Cmd("POLLOPEN " + poll).ok());
  EXPECT_EQ(v->Cmd("VOTE " + poll + " 1").code(), "PASSWORD_REQUIRED");
  auto wrong = v->Cmd("VOTE " + poll + " 1 wrong-password-9");
  EXPECT_EQ(wrong.code(), "AUTH_FAILED");
  EXPECT_EQ(wrong.params[3], "2");
  const std::string receipt = Vote(*v, poll, 1, " " + kPassword);
  EXPECT_EQ(v->Cmd("VERIFY " + poll + " " + receipt).params[3], "1");
}

TEST_F(PollsE2E, RevoteReplacesTheEarlierBallot) {
  auto v = LoggedIn(*server_, FreshName("v"));
  const std::string poll = NewPoll(*admin_, "revote", {"A", "B", "C"});
  ASSERT_TRUE(admin_->Cmd("POLLOPEN " + poll).ok());
  const std::string first = Vote(*v, poll, 1);
  const std::string second = Vote(*v, poll, 3);
  EXPECT_EQ(v->Cmd("VERIFY " + poll + " " + first).code(), "NO_SUCH_RECEIPT");
  EXPECT_EQ(v->Cmd("VERIFY " + poll + " " + second).params[3], "3");
  ASSERT_TRUE(admin_->Cmd("POLLCLOSE " + poll).ok());
  EXPECT_EQ(Tallies(v->Cmd("RESULTS " + poll)), (std::map<int, int>{{1, 0}, {2, 0}, {3, 1}}));
  // The key that sealed the voter-to-ballot links is gone with the close.
  EXPECT_FALSE(std::filesystem::exists(server_->data() + "/keys/" + poll + ".key"));
}

TEST_F(PollsE2E, MultipleChoice) {
  auto v = LoggedIn(*server_, FreshName("v"));
  const std::string poll = NewPoll(*admin_, "choices=2,live", {"A", "B", "C"});
  ASSERT_TRUE(admin_->Cmd("POLLOPEN " + poll).ok());
  EXPECT_EQ(v->Cmd("VOTE " + poll + " 1,2,3").code(), "BAD_ARGUMENTS");
  EXPECT_EQ(v->Cmd("VOTE " + poll + " 1,1").code(), "BAD_ARGUMENTS");
  const std::string receipt = Vote(*v, poll, 1, ",3");
  EXPECT_EQ(v->Cmd("VERIFY " + poll + " " + receipt).params[3], "1,3");
  auto r = v->Cmd("RESULTS " + poll);
  EXPECT_EQ(Tallies(r), (std::map<int, int>{{1, 1}, {2, 0}, {3, 1}}));
  EXPECT_EQ(r.params[3], "1");
}

TEST(PollRestartE2E, BallotsAndMarksSurviveRestart) {
  ServerProcess server;
  auto admin = Admin(server, "boss");
  const std::string name = FreshName("v");
  auto v = LoggedIn(server, name);
  const std::string poll = NewPoll(*admin, "-", {"Yes", "No"});
  ASSERT_TRUE(admin->Cmd("POLLOPEN " + poll).ok());
  const std::string receipt = Vote(*v, poll, 2);
  ASSERT_EQ(server.Stop(), 0);
  server.Start();
  Client c("127.0.0.1", server.port());
  ASSERT_TRUE(c.Cmd("LOGIN " + name + " " + kPassword).ok());
  EXPECT_EQ(c.Cmd("VERIFY " + poll + " " + receipt).params[3], "2");
  EXPECT_EQ(c.Cmd("VOTE " + poll + " 1").code(), "ALREADY_VOTED");
  auto polls = c.Cmd("POLLS");
  ASSERT_EQ(polls.data.size(), 1u);
  EXPECT_EQ(Params(polls.data[0])[2], "open");
  EXPECT_EQ(Params(polls.data[0])[5], "1");
}

TEST_F(PollsE2E, CommandLineWhileTheServerRuns) {
  auto v = LoggedIn(*server_, FreshName("v"));
  std::string out;
  ASSERT_EQ(server_->Cli({"poll", "create", "--title", "From the shell", "--option", "Yes",
                          "--option", "No", "--duration", "600", "--open"},
                         "", &out),
            0)
      << out;
  const std::string created = out.substr(out.find("created ") + 8);
  const std::string poll = created.substr(0, created.find('\n'));
  v->WaitEvent("POLL " + poll + " open");
  Vote(*v, poll, 1);
  ASSERT_EQ(server_->Cli({"poll", "close", poll}, "", &out), 0) << out;
  v->WaitEvent("POLL " + poll + " closed");
  EXPECT_EQ(v->Cmd("VOTE " + poll + " 2").code(), "CLOSED");
}

TEST_F(PollsE2E, ExportAfterClose) {
  std::vector<std::unique_ptr<Client>> voters;
  for (int i = 0; i < 4; ++i) voters.push_back(LoggedIn(*server_, FreshName("v")));
  const std::string poll = NewPoll(*admin_, "-", {"Red", "Green, with a comma"});
  ASSERT_TRUE(admin_->Cmd("POLLOPEN " + poll).ok());
  std::map<std::string, int> receipts;
  for (size_t i = 0; i < voters.size(); ++i) {
    const int option = i == 0 ? 1 : 2;
    receipts[Vote(*voters[i], poll, option)] = option;
  }
  std::string out;
  TempDir dir;
  EXPECT_NE(server_->Cli({"poll", "export", poll, "--out", dir.path()}, "", &out), 0)
      << "an open poll is not exported";
  ASSERT_TRUE(admin_->Cmd("POLLCLOSE " + poll).ok());
  ASSERT_EQ(server_->Cli({"poll", "export", poll, "--out", dir.path()}, "", &out), 0) << out;

  std::ifstream csv(dir.path() + "/" + poll + "-ballots.csv");
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "receipt,choices");
  std::map<std::string, int> exported;
  while (std::getline(csv, line)) {
    const size_t comma = line.find(',');
    exported[line.substr(0, comma)] = std::stoi(line.substr(comma + 1));
  }
  EXPECT_EQ(exported, receipts);
  std::ifstream tally(dir.path() + "/" + poll + "-tally.csv");
  std::stringstream t;
  t << tally.rdbuf();
  EXPECT_EQ(t.str(), "option,label,votes\n1,\"Red\",1\n2,\"Green, with a comma\",3\n");
  std::ifstream json(dir.path() + "/" + poll + ".json");
  std::stringstream j;
  j << json.rdbuf();
  for (const auto& [receipt, option] : receipts) {
    EXPECT_NE(j.str().find("{\"receipt\":\"" + receipt + "\",\"choices\":[" +
                           std::to_string(option) + "]}"),
              std::string::npos);
  }
}

// ------------------------------------------------------------------ secrecy

std::vector<std::string> Columns(sqlite3* db, const std::string& table) {
  std::vector<std::string> out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, ("PRAGMA table_info(" + table + ")").c_str(), -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
  }
  sqlite3_finalize(st);
  return out;
}

TEST_F(PollsE2E, TheDatabaseHoldsNoLinkBetweenVotersAndChoices) {
  const std::string name = FreshName("secret");
  auto v = LoggedIn(*server_, name);
  const std::string poll = NewPoll(*admin_, "-", {"Yes", "No"});
  ASSERT_TRUE(admin_->Cmd("POLLOPEN " + poll).ok());
  const std::string receipt = Vote(*v, poll, 2);

  sqlite3* db = nullptr;
  ASSERT_EQ(
      sqlite3_open_v2((server_->data() + "/caucus.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
      SQLITE_OK);
  // Who voted, and what was chosen, are two tables with nothing in common
  // but the poll: no account in the ballots, no choice or receipt with the
  // voters, no time and no rowid (insertion order) in either.
  EXPECT_EQ(Columns(db, "poll_voters"), (std::vector<std::string>{"poll", "account_id"}));
  EXPECT_EQ(Columns(db, "ballots"), (std::vector<std::string>{"poll", "receipt", "choice"}));
  for (const char* table : {"poll_voters", "ballots"}) {
    sqlite3_stmt* st = nullptr;
    EXPECT_NE(sqlite3_prepare_v2(db, (std::string("SELECT rowid FROM ") + table).c_str(), -1, &st,
                                 nullptr),
              SQLITE_OK)
        << table << " must be WITHOUT ROWID";
    sqlite3_finalize(st);
  }
  // The receipt is stored in the ballots table and nowhere else.
  sqlite3_stmt* tables = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &tables,
                     nullptr);
  while (sqlite3_step(tables) == SQLITE_ROW) {
    const std::string table = reinterpret_cast<const char*>(sqlite3_column_text(tables, 0));
    if (table == "ballots") continue;
    for (const auto& column : Columns(db, table)) {
      sqlite3_stmt* st = nullptr;
      const std::string sql = "SELECT count(*) FROM \"" + table + "\" WHERE CAST(\"" + column +
                              "\" AS TEXT) LIKE '%" + receipt + "%'";
      ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
      ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
      EXPECT_EQ(sqlite3_column_int(st, 0), 0) << "the receipt is in " << table << "." << column;
      sqlite3_finalize(st);
    }
  }
  sqlite3_finalize(tables);
  sqlite3_close(db);
  // Nor in the server's log.
  EXPECT_EQ(server_->Log().find(receipt), std::string::npos);
}

// ------------------------------------------------------------------ durability

struct Ack {
  std::string poll;
  std::string receipt;
  int option;
};

// Voters vote in every poll, as fast as they can, while the server is
// killed with SIGKILL in the middle, several times. Every acknowledged
// ballot must be there after each restart, the store must be intact, and
// the ballots must match the voters' marks one for one.
TEST(PollDurabilityE2E, KillNineLosesNoAcknowledgedBallot) {
  constexpr int kVoters = 24;
  constexpr int kPolls = 6;
  constexpr int kRounds = 3;
  ServerProcess server({"--max-connections-per-ip", "0", "--hash-threads", "2"});
  auto admin = Admin(server, "boss");
  std::vector<std::string> names;
  for (int i = 0; i < kVoters; ++i) {
    names.push_back(FreshName("k"));
    LoggedIn(server, names.back());
  }
  std::vector<std::string> polls;
  for (int i = 0; i < kPolls; ++i) {
    polls.push_back(NewPoll(*admin, "-", {"A", "B", "C"}));
    ASSERT_TRUE(admin->Cmd("POLLOPEN " + polls.back()).ok());
  }
  admin.reset();

  std::vector<Ack> acked;
  std::set<std::pair<int, size_t>> done;  // (voter, poll) acknowledged
  for (int round = 0; round < kRounds; ++round) {
    std::mutex mu;
    std::atomic<int> acks_this_round{0};
    std::vector<std::thread> threads;
    for (int v = 0; v < kVoters; ++v) {
      threads.emplace_back([&, v] {
        try {
          Client c("127.0.0.1", server.port());
          if (!c.Cmd("LOGIN " + names[v] + " " + kPassword).ok()) return;
          for (size_t p = 0; p < polls.size(); ++p) {
            {
              std::lock_guard lock(mu);
              if (done.count({v, p})) continue;
            }
            const int option = 1 + (v + static_cast<int>(p)) % 3;
            auto r = c.Cmd("VOTE " + polls[p] + " " + std::to_string(option));
            if (!r.ok() && r.code() != "ALREADY_VOTED") return;
            std::lock_guard lock(mu);
            done.insert({v, p});
            if (r.ok()) acked.push_back({polls[p], r.params[3], option});
            ++acks_this_round;
          }
        } catch (const std::exception&) {
          // The server died under this voter: expected.
        }
      });
    }
    // Kill once some ballots have been acknowledged in this round.
    while (acks_this_round < kVoters / 2 && round + 1 < kRounds) {
      std::this_thread::sleep_for(milliseconds(1));
    }
    if (round + 1 < kRounds) server.Kill9();
    for (auto& t : threads) t.join();
    if (round + 1 < kRounds) server.Start();
  }

  // Every acknowledged receipt verifies, with its choice.
  Client checker("127.0.0.1", server.port());
  ASSERT_TRUE(checker.Cmd("LOGIN " + names[0] + " " + kPassword).ok());
  for (const auto& a : acked) {
    auto r = checker.Cmd("VERIFY " + a.poll + " " + a.receipt);
    ASSERT_TRUE(r.ok()) << "acknowledged ballot lost: " << a.poll << " " << a.receipt;
    EXPECT_EQ(r.params[3], std::to_string(a.option));
  }
  server.Stop();

  sqlite3* db = nullptr;
  ASSERT_EQ(
      sqlite3_open_v2((server.data() + "/caucus.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
      SQLITE_OK);
  auto scalar = [&](const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    sqlite3_step(st);
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
  };
  EXPECT_EQ(scalar("PRAGMA integrity_check"), "ok");
  // No half-ballot: as many ballots as voters' marks, poll by poll.
  EXPECT_EQ(scalar("SELECT count(*) FROM (SELECT poll, count(*) AS n FROM poll_voters GROUP BY "
                   "poll) v LEFT JOIN (SELECT poll, count(DISTINCT receipt) AS n FROM ballots "
                   "GROUP BY poll) b USING (poll) WHERE b.n IS NOT v.n"),
            "0");
  EXPECT_GE(std::stoi(scalar("SELECT count(*) FROM ballots")), static_cast<int>(acked.size()));
  sqlite3_close(db);
}

}  // namespace
}  // namespace caucus::test
