// The board on a real store: posting, editing, deleting (by the author, or
// by an admin with an audit entry) and reading since a time.
#include "core/board.h"

#include <gtest/gtest.h>

#include "core/testing/domain_fixture.h"

namespace caucus::core {
namespace {

using testing::Conn;
using testing::Describe;
using testing::Domain;
using testing::kStartMs;

Outcome<Board::Stamp> Post(Domain& d, Conn& c, const std::string& text) {
  return d.Run<Board::Stamp>(
      [&](Reply<Board::Stamp> done) { d.board().Post(c.session, text, done); });
}

Outcome<Board::Stamp> Edit(Domain& d, Conn& c, int64_t number, const std::string& text) {
  return d.Run<Board::Stamp>(
      [&](Reply<Board::Stamp> done) { d.board().Edit(c.session, number, text, done); });
}

Outcome<int64_t> Delete(Domain& d, Conn& c, int64_t number) {
  return d.Run<int64_t>([&](Reply<int64_t> done) { d.board().Delete(c.session, number, done); });
}

std::vector<Board::Entry> Read(Domain& d, Conn& c, std::optional<TimeMs> since = std::nullopt) {
  auto o = d.Run<std::vector<Board::Entry>>(
      [&](Reply<std::vector<Board::Entry>> done) { d.board().Read(c.session, since, done); });
  EXPECT_EQ(Describe(o), "OK");
  return o.ok() ? o.value() : std::vector<Board::Entry>{};
}

// "number author text" of each entry.
std::vector<std::string> Summaries(const std::vector<Board::Entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries)
    out.push_back(std::to_string(e.number) + " " + e.author + " " + e.text);
  return out;
}

TEST(BoardTest, PostsAreNumberedAndReadInOrder) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  Conn& bob = d.LoggedIn("bob");
  auto first = Post(d, alice, "first post");
  ASSERT_EQ(Describe(first), "OK");
  EXPECT_EQ(first->number, 1);
  EXPECT_EQ(first->time, kStartMs);
  d.Advance(1000);
  auto second = Post(d, bob, "second post");
  ASSERT_EQ(Describe(second), "OK");
  EXPECT_EQ(second->number, 2);

  auto board = Read(d, bob);
  EXPECT_EQ(Summaries(board),
            (std::vector<std::string>{"1 alice first post", "2 bob second post"}));
  ASSERT_EQ(board.size(), 2u);
  EXPECT_EQ(board[0].created, kStartMs);
  EXPECT_EQ(board[0].edited, 0) << "never edited";
  EXPECT_EQ(board[1].created, kStartMs + 1000);
}

TEST(BoardTest, PostChecksItsText) {
  Config c;
  c.max_text = 5;
  Domain d(c);
  Conn& alice = d.LoggedIn("alice");
  EXPECT_EQ(Describe(Post(d, alice, "")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Post(d, alice, "123456")), "TOO_LONG");
  EXPECT_EQ(Describe(Post(d, alice, "12345")), "OK");
  EXPECT_EQ(Read(d, alice).size(), 1u);
}

TEST(BoardTest, OnlyTheAuthorEdits) {
  Config c;
  c.max_text = 20;
  Domain d(c);
  Conn& alice = d.LoggedIn("alice");
  Conn& bob = d.LoggedIn("bob");
  Conn& root = d.Admin();
  const int64_t n = Post(d, alice, "draft")->number;

  d.Advance(5000);
  EXPECT_EQ(Describe(Edit(d, bob, n, "vandalised")), "NOT_AUTHOR");
  EXPECT_EQ(Describe(Edit(d, root, n, "vandalised")), "NOT_AUTHOR") << "not even an admin";
  EXPECT_EQ(Describe(Edit(d, alice, n + 1, "final")), "NO_SUCH_POST");
  EXPECT_EQ(Describe(Edit(d, alice, n, "")), "BAD_ARGUMENTS");
  EXPECT_EQ(Describe(Edit(d, alice, n, std::string(21, 'x'))), "TOO_LONG");
  auto edited = Edit(d, alice, n, "final");
  ASSERT_EQ(Describe(edited), "OK");
  EXPECT_EQ(edited->number, n);
  EXPECT_EQ(edited->time, kStartMs + 5000);

  auto board = Read(d, bob);
  ASSERT_EQ(board.size(), 1u);
  EXPECT_EQ(board[0].text, "final");
  EXPECT_EQ(board[0].created, kStartMs);
  EXPECT_EQ(board[0].edited, kStartMs + 5000);
}

TEST(BoardTest, TheAuthorOrAnAdminDeletes) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  Conn& bob = d.LoggedIn("bob");
  Conn& root = d.Admin();
  const int64_t mine = Post(d, alice, "mine")->number;
  const int64_t other = Post(d, alice, "also mine")->number;

  EXPECT_EQ(Describe(Delete(d, bob, mine)), "NOT_AUTHOR");
  auto deleted = Delete(d, alice, mine);
  ASSERT_EQ(Describe(deleted), "OK");
  EXPECT_EQ(deleted.value(), mine);
  EXPECT_EQ(Describe(Delete(d, alice, mine)), "NO_SUCH_POST");
  EXPECT_EQ(Describe(Delete(d, root, 999)), "NO_SUCH_POST");

  // An admin may delete another's post; it is written to the audit log.
  ASSERT_EQ(Describe(Delete(d, root, other)), "OK");
  EXPECT_TRUE(Read(d, bob).empty());
  store::Result<std::vector<store::AuditEntry>> audit;
  d.store().ReadAudit(0, 10, [&](auto r) { audit = std::move(r); });
  d.Pump();
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u) << "the author's own deletion is not audited";
  EXPECT_EQ((*audit)[0].actor, "root");
  EXPECT_EQ((*audit)[0].action, "post.delete");
  EXPECT_EQ((*audit)[0].detail, "post " + std::to_string(other));

  EXPECT_EQ(Post(d, bob, "after")->number, other + 1) << "numbers are never reused";
}

TEST(BoardTest, ReadSinceListsWhatWasCreatedOrEditedAfter) {
  Domain d;
  Conn& alice = d.LoggedIn("alice");
  const int64_t old_post = Post(d, alice, "old")->number;
  const int64_t edited_post = Post(d, alice, "to be edited")->number;
  d.Advance(1000);
  const TimeMs since = d.clock().now;
  EXPECT_TRUE(Read(d, alice, since).empty()) << "strictly after";
  d.Advance(1000);
  const int64_t new_post = Post(d, alice, "new")->number;
  ASSERT_EQ(Describe(Edit(d, alice, edited_post, "edited")), "OK");

  auto recent = Read(d, alice, since);
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].number, edited_post) << "by number";
  EXPECT_EQ(recent[0].text, "edited");
  EXPECT_EQ(recent[1].number, new_post);
  EXPECT_EQ(Read(d, alice).size(), 3u);
  EXPECT_EQ(Read(d, alice)[0].number, old_post);
}

}  // namespace
}  // namespace caucus::core
