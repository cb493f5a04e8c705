// End to end: the message board (issue 3) against the real caucusd.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "harness.h"

namespace caucus::test {
namespace {

const std::string kPassword = "password-123";
const std::string kAdminPassword = "admin-password-1";

struct Post {
  std::string time, author, edited, text;
};

// The BOARD lines of a READ reply by post number, in the order sent; fails
// the test if they are not in post-number order or the count is wrong.
std::vector<std::pair<int64_t, Post>> Board(const Reply& r) {
  std::vector<std::pair<int64_t, Post>> out;
  EXPECT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(r.final, "OK READ " + std::to_string(r.data.size()));
  for (const auto& line : r.data) {
    const auto p = Params(line);
    EXPECT_EQ(p.size(), 6u) << line;
    if (p.size() != 6 || p[0] != "BOARD") continue;
    const int64_t n = std::stoll(p[1]);
    EXPECT_TRUE(out.empty() || out.back().first < n) << "not in post-number order: " << line;
    out.push_back({n, {p[2], p[3], p[4], p[5]}});
  }
  return out;
}

std::map<int64_t, Post> ByNumber(const Reply& r) {
  std::map<int64_t, Post> out;
  for (auto& [n, p] : Board(r)) out[n] = p;
  return out;
}

// POST; returns the number, 0 on failure.
int64_t PostText(Client& c, const std::string& text, std::string* time = nullptr) {
  auto r = c.Cmd("POST :" + text);
  EXPECT_TRUE(r.ok()) << r.final;
  if (!r.ok() || r.params.size() != 4) return 0;
  if (time) *time = r.params[3];
  return std::stoll(r.params[2]);
}

// One server, with an admin account made on the command line before it
// starts serving.
class BoardE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    server_->Stop();
    admin_ = new std::string(FreshName("admin"));
    std::string out;
    if (server_->Cli({"users", "add", *admin_, "--admin"}, kAdminPassword + "\n", &out) != 0) {
      throw std::runtime_error("users add: " + out);
    }
    server_->Start();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete admin_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
  static std::string* admin_;
};

ServerProcess* BoardE2E::server_ = nullptr;
std::string* BoardE2E::admin_ = nullptr;

TEST_F(BoardE2E, PostEditDeleteRead) {
  const std::string name = FreshName("p");
  auto c = LoggedIn(*server_, name);
  std::string posted;
  const int64_t n = PostText(*c, "hello board, with  spaces", &posted);
  ASSERT_GT(n, 0);
  EXPECT_GT(WireMs(posted), 0) << posted;
  auto board = ByNumber(c->Cmd("READ"));
  ASSERT_EQ(board.count(n), 1u);
  EXPECT_EQ(board[n].time, posted);
  EXPECT_EQ(board[n].author, name);
  EXPECT_EQ(board[n].edited, "-");
  EXPECT_EQ(board[n].text, "hello board, with  spaces");

  AfterTime(posted);
  auto r = c->Cmd("EDIT " + std::to_string(n) + " :changed");
  ASSERT_TRUE(r.ok()) << r.final;
  ASSERT_EQ(r.params.size(), 4u);
  EXPECT_EQ(r.params[2], std::to_string(n));
  const std::string edited = r.params[3];
  EXPECT_GT(WireMs(edited), WireMs(posted));
  board = ByNumber(c->Cmd("READ"));
  ASSERT_EQ(board.count(n), 1u);
  EXPECT_EQ(board[n].time, posted) << "an edit keeps the creation time";
  EXPECT_EQ(board[n].edited, edited);
  EXPECT_EQ(board[n].text, "changed");

  EXPECT_EQ(c->Cmd("DELETE " + std::to_string(n)).final, "OK DELETE " + std::to_string(n));
  EXPECT_EQ(ByNumber(c->Cmd("READ")).count(n), 0u);
  EXPECT_EQ(c->Cmd("EDIT " + std::to_string(n) + " :again").code(), "NO_SUCH_POST");
  EXPECT_EQ(c->Cmd("DELETE " + std::to_string(n)).code(), "NO_SUCH_POST");
  EXPECT_EQ(c->Cmd("DELETE 999999999").code(), "NO_SUCH_POST");
}

TEST_F(BoardE2E, TextLimits) {
  auto c = LoggedIn(*server_, FreshName("p"));
  EXPECT_EQ(c->Cmd("POST :" + std::string(4001, 'x')).code(), "TOO_LONG");
  EXPECT_EQ(c->Cmd("POST :").code(), "BAD_ARGUMENTS");
  const int64_t n = PostText(*c, std::string(4000, 'y'));
  ASSERT_GT(n, 0);
  EXPECT_EQ(c->Cmd("EDIT " + std::to_string(n) + " :" + std::string(4001, 'x')).code(), "TOO_LONG");
  EXPECT_EQ(ByNumber(c->Cmd("READ"))[n].text, std::string(4000, 'y'));
}

TEST_F(BoardE2E, NumbersAreNeverReusedNotEvenTheNewest) {
  auto c = LoggedIn(*server_, FreshName("p"));
  const int64_t a = PostText(*c, "one");
  const int64_t b = PostText(*c, "two");
  const int64_t d = PostText(*c, "three");
  ASSERT_LT(a, b);
  ASSERT_LT(b, d);
  ASSERT_TRUE(c->Cmd("DELETE " + std::to_string(b)).ok());  // a gap
  ASSERT_TRUE(c->Cmd("DELETE " + std::to_string(d)).ok());  // the newest
  const int64_t e = PostText(*c, "four");
  EXPECT_GT(e, d) << "a deleted post's number was given again";
  auto board = ByNumber(c->Cmd("READ"));
  EXPECT_EQ(board[a].text, "one");
  EXPECT_EQ(board.count(b), 0u);
  EXPECT_EQ(board.count(d), 0u);
  EXPECT_EQ(board[e].text, "four");
}

TEST_F(BoardE2E, OnlyTheAuthorMayEditOrDelete) {
  auto author = LoggedIn(*server_, FreshName("p"));
  auto other = LoggedIn(*server_, FreshName("q"));
  const int64_t n = PostText(*author, "mine");
  const std::string num = std::to_string(n);
  EXPECT_EQ(other->Cmd("EDIT " + num + " :yours now").code(), "NOT_AUTHOR");
  EXPECT_EQ(other->Cmd("DELETE " + num).code(), "NOT_AUTHOR");
  auto board = ByNumber(other->Cmd("READ"));
  EXPECT_EQ(board[n].text, "mine");
  EXPECT_EQ(board[n].edited, "-");
}

TEST_F(BoardE2E, ReadWithATimeGivesPostsCreatedOrEditedAfterIt) {
  auto c = LoggedIn(*server_, FreshName("p"));
  std::string t1, t2;
  const int64_t first = PostText(*c, "before", &t1);
  AfterTime(t1);
  const int64_t second = PostText(*c, "after", &t2);
  ASSERT_LT(WireMs(t1), WireMs(t2));
  const std::string between = WireTime((WireMs(t1) + WireMs(t2)) / 2);
  ASSERT_LT(WireMs(t1), WireMs(between));

  auto board = ByNumber(c->Cmd("READ " + between));
  EXPECT_EQ(board.count(first), 0u);
  ASSERT_EQ(board.count(second), 1u);
  EXPECT_EQ(board[second].text, "after");
  // A time later than every post: nothing of ours.
  AfterTime(t2);
  board = ByNumber(c->Cmd("READ " + WireTime(WireMs(t2) + 1)));
  EXPECT_EQ(board.count(first), 0u);
  EXPECT_EQ(board.count(second), 0u);
  // An edit brings the older post back, in number order.
  auto r = c->Cmd("EDIT " + std::to_string(first) + " :before, edited");
  ASSERT_TRUE(r.ok()) << r.final;
  const auto list = Board(c->Cmd("READ " + between));
  std::vector<int64_t> numbers;
  for (const auto& [n, p] : list) {
    if (n == first || n == second) numbers.push_back(n);
  }
  EXPECT_EQ(numbers, (std::vector<int64_t>{first, second}));

  EXPECT_EQ(c->Cmd("READ yesterday").code(), "BAD_ARGUMENTS");
  EXPECT_EQ(c->Cmd("READ 2026-13-45T99:00:00Z").code(), "BAD_ARGUMENTS");
}

TEST_F(BoardE2E, AdminMayDeleteAnyPostAndItIsAudited) {
  auto author = LoggedIn(*server_, FreshName("p"));
  const int64_t n = PostText(*author, "spam");
  Client admin("127.0.0.1", server_->port());
  ASSERT_TRUE(admin.Cmd("LOGIN " + *admin_ + " " + kAdminPassword).ok());
  // An admin is no author: EDIT stays the author's.
  EXPECT_EQ(admin.Cmd("EDIT " + std::to_string(n) + " :ham").code(), "NOT_AUTHOR");
  EXPECT_EQ(admin.Cmd("DELETE " + std::to_string(n)).final, "OK DELETE " + std::to_string(n));
  EXPECT_EQ(ByNumber(author->Cmd("READ")).count(n), 0u);
  std::string out;
  ASSERT_EQ(server_->Cli({"log", "audit", "--since", "2000-01-01T00:00:00Z"}, "", &out), 0) << out;
  bool audited = false;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    audited = audited || (line.find(*admin_) != std::string::npos &&
                          line.find(std::to_string(n)) != std::string::npos);
  }
  EXPECT_TRUE(audited) << out;
}

TEST(BoardRestartE2E, TheBoardSurvivesARestart) {
  ServerProcess server;
  const std::string name = FreshName("p");
  int64_t kept, edited, gap, newest;
  std::map<int64_t, Post> before;
  {
    auto c = LoggedIn(server, name);
    kept = PostText(*c, "kept");
    edited = PostText(*c, "to edit");
    gap = PostText(*c, "to delete");
    newest = PostText(*c, "newest, deleted");
    ASSERT_TRUE(c->Cmd("EDIT " + std::to_string(edited) + " :edited").ok());
    ASSERT_TRUE(c->Cmd("DELETE " + std::to_string(gap)).ok());
    ASSERT_TRUE(c->Cmd("DELETE " + std::to_string(newest)).ok());
    before = ByNumber(c->Cmd("READ"));
  }
  server.Kill9();
  server.Start();
  Client c("127.0.0.1", server.port());
  ASSERT_TRUE(c.Cmd("LOGIN " + name + " " + kPassword).ok());
  auto after = ByNumber(c.Cmd("READ"));
  ASSERT_EQ(after.size(), 2u);
  ASSERT_EQ(before.size(), 2u);
  for (int64_t n : {kept, edited}) {
    EXPECT_EQ(after[n].time, before[n].time);
    EXPECT_EQ(after[n].author, name);
    EXPECT_EQ(after[n].edited, before[n].edited);
    EXPECT_EQ(after[n].text, before[n].text);
  }
  EXPECT_NE(after[edited].edited, "-");
  // Not even a restart gives the deleted newest number again.
  const int64_t next = PostText(c, "after the restart");
  EXPECT_GT(next, newest);
  EXPECT_EQ(c.Cmd("EDIT " + std::to_string(kept) + " :still mine").final.rfind("OK EDIT", 0), 0u);
}

}  // namespace
}  // namespace caucus::test
