// End to end: crash safety. Writers keep sending messages to an offline
// user, posting and voting while caucusd is killed with SIGKILL at a random
// point, again and again on the same data directory. Every write the server
// acknowledged must be there afterwards, and the database must pass
// PRAGMA integrity_check after every crash.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "harness.h"

namespace caucus::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
const std::string kPassword = "password-123";
const std::string kAdminPassword = "admin-password-1";

// PRAGMA integrity_check's rows, joined; "ok" for a sound database.
std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string error = sqlite3_errmsg(db);
    sqlite3_close(db);
    return "cannot open: " + error;
  }
  std::string out;
  char* error = nullptr;
  const int rc = sqlite3_exec(
      db, "PRAGMA integrity_check",
      [](void* arg, int n, char** values, char**) {
        auto* text = static_cast<std::string*>(arg);
        for (int i = 0; i < n; ++i) *text += (text->empty() ? "" : "; ") + std::string(values[i]);
        return 0;
      },
      &out, &error);
  if (rc != SQLITE_OK) out = "integrity_check failed: " + std::string(error ? error : "?");
  sqlite3_free(error);
  sqlite3_close(db);
  return out;
}

struct Acked {
  std::vector<std::string> sends;                  // message ids
  std::map<int, std::string> posts;                // number -> text
  std::vector<std::pair<std::string, int>> votes;  // (poll, option) ...
  std::vector<std::string> receipts;               // ... and its receipt
};

// One writer's round: log in, then SEND, POST and VOTE in turn until the
// connection dies. Records what the server acknowledged.
void Write(uint16_t port, const std::string& name, const std::string& inbox,
           const std::vector<std::string>& polls, size_t* next_poll, int* counter, Acked* acked,
           std::atomic<int>* acks) {
  try {
    Client c("127.0.0.1", port);
    if (!c.Cmd("LOGIN " + name + " " + kPassword).ok()) return;
    while (true) {
      const int k = (*counter)++;
      const std::string text = name + " write " + std::to_string(k);
      int kind = k % 3;
      if (kind == 2 && *next_poll >= polls.size()) kind = 1;  // every poll voted in
      if (kind == 0) {
        auto r = c.Cmd("SEND " + inbox + " :" + text);
        if (!r.ok()) throw std::runtime_error(r.final);
        acked->sends.push_back(r.params[2]);
      } else if (kind == 1) {
        auto r = c.Cmd("POST :" + text);
        if (!r.ok()) throw std::runtime_error(r.final);
        acked->posts[std::stoi(r.params[2])] = text;
      } else {
        const std::string& poll = polls[*next_poll];
        const int option = 1 + k % 2;
        auto r = c.Cmd("VOTE " + poll + " " + std::to_string(option));
        if (r.ok()) {
          acked->votes.emplace_back(poll, option);
          acked->receipts.push_back(r.params[3]);
        } else if (r.code() != "ALREADY_VOTED") {  // the last round's vote made it
          throw std::runtime_error(r.final);
        }
        ++*next_poll;
      }
      ++*acks;
    }
  } catch (const std::exception&) {
    // The server was killed: the round is over for this writer.
  }
}

TEST(CrashE2E, Kill9InALoopUnderLoadLosesNoAcknowledgedWrite) {
  constexpr int kRounds = 15, kWriters = 4, kPolls = 40;
  TempDir data;
  ServerProcess server({"--commands-per-second", "0"}, data.path());
  const std::string db_path = data.path() + "/caucus.db";

  const std::string admin_name = FreshName("boss");
  std::string out;
  ASSERT_EQ(server.Cli({"users", "add", admin_name, "--admin"}, kAdminPassword + "\n", &out), 0)
      << out;
  std::vector<std::string> polls;
  {
    auto admin = LoginWhenKnown(server, admin_name, kAdminPassword);
    for (int i = 0; i < kPolls; ++i) {
      auto r = admin->Cmd("POLLNEW - +86400 - :Crash poll " + std::to_string(i));
      ASSERT_TRUE(r.ok()) << r.final;
      const std::string id = r.params[2];
      ASSERT_TRUE(admin->Cmd("POLLOPTION " + id + " :yes").ok());
      ASSERT_TRUE(admin->Cmd("POLLOPTION " + id + " :no").ok());
      ASSERT_TRUE(admin->Cmd("POLLOPEN " + id).ok());
      polls.push_back(id);
    }
  }
  const std::string inbox = FreshName("inbox");
  Register(server, inbox);
  std::vector<std::string> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.push_back(FreshName("writer"));
    Register(server, writers.back());
  }

  std::vector<Acked> acked(kWriters);
  std::vector<size_t> next_poll(kWriters, 0);
  std::vector<int> counters(kWriters, 0);
  std::mt19937 rng(20261122);
  std::atomic<int> acks{0};
  for (int round = 0; round < kRounds; ++round) {
    const int start = acks.load();
    std::vector<std::thread> threads;
    for (int i = 0; i < kWriters; ++i) {
      threads.emplace_back(Write, server.port(), writers[i], inbox, std::cref(polls), &next_poll[i],
                           &counters[i], &acked[i], &acks);
    }
    // Kill at a random point: after some number of acknowledged writes,
    // while the writers keep going.
    const int target = start + 10 + static_cast<int>(rng() % 90);
    const auto deadline = Clock::now() + 60s;
    while (acks.load() < target && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
    ASSERT_GE(acks.load(), target) << "round " << round << ": the writers stalled\n"
                                   << server.Log();
    server.Kill9();
    for (auto& t : threads) t.join();
    ASSERT_EQ(IntegrityCheck(db_path), "ok") << "after crash " << round;
    server.Start();
  }

  // Everything acknowledged is there: the stored messages reach the inbox...
  size_t sends = 0, posts = 0, votes = 0;
  for (const auto& a : acked) {
    sends += a.sends.size();
    posts += a.posts.size();
    votes += a.votes.size();
  }
  ASSERT_GT(sends, 0u);
  ASSERT_GT(posts, 0u);
  ASSERT_GT(votes, 0u);
  auto reader = LoginWhenKnown(server, inbox, kPassword);
  std::set<std::string> expected;
  for (const auto& a : acked) expected.insert(a.sends.begin(), a.sends.end());
  std::set<std::string> delivered;
  while (!expected.empty()) {
    std::string event;
    try {
      event = reader->WaitEvent("MSG ");
    } catch (const std::exception& e) {
      FAIL() << expected.size() << " acknowledged messages never arrived, e.g. "
             << *expected.begin();
    }
    const std::string id = Params(event)[1];
    EXPECT_TRUE(delivered.insert(id).second) << "delivered twice: " << event;
    expected.erase(id);
  }
  // ...the posts are on the board...
  auto board = reader->Cmd("READ");
  ASSERT_TRUE(board.ok()) << board.final;
  std::map<int, std::string> on_board;
  for (const auto& line : board.data) {
    auto p = Params(line);
    on_board[std::stoi(p[1])] = p.back();
  }
  for (const auto& a : acked) {
    for (const auto& [n, text] : a.posts) EXPECT_EQ(on_board[n], text) << "post " << n;
  }
  // ...and every ballot counts for the option chosen.
  for (int i = 0; i < kWriters; ++i) {
    auto voter = LoginWhenKnown(server, writers[i], kPassword);
    for (size_t v = 0; v < acked[i].votes.size(); ++v) {
      const auto& [poll, option] = acked[i].votes[v];
      auto r = voter->Cmd("VERIFY " + poll + " " + acked[i].receipts[v]);
      ASSERT_TRUE(r.ok()) << r.final;
      EXPECT_EQ(r.params[3], std::to_string(option)) << poll;
    }
  }
  server.Kill9();
  EXPECT_EQ(IntegrityCheck(db_path), "ok");
  RecordProperty("acknowledged_sends", static_cast<int>(sends));
  RecordProperty("acknowledged_posts", static_cast<int>(posts));
  RecordProperty("acknowledged_votes", static_cast<int>(votes));
}

}  // namespace
}  // namespace caucus::test
