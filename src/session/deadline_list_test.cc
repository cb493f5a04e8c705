#include "session/deadline_list.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <vector>

namespace caucus::session {
namespace {

using std::chrono::milliseconds;

TEST(DeadlineListTest, ExpiresInOrderOfLastTouch) {
  boost::asio::io_context io;
  std::vector<DeadlineEntry*> expired;
  DeadlineList list(io, milliseconds(20), [&](DeadlineEntry* e) { expired.push_back(e); });
  DeadlineEntry a, b, c;
  list.Touch(&a);
  list.Touch(&b);
  list.Touch(&c);
  list.Touch(&a);  // a moves behind c
  list.Remove(&b);
  io.run();
  EXPECT_EQ(expired, (std::vector<DeadlineEntry*>{&c, &a}));
  EXPECT_EQ(a.list, nullptr);
}

TEST(DeadlineListTest, AnEntryIsInOneListAtATime) {
  boost::asio::io_context io;
  std::vector<DeadlineEntry*> idle, handshake;
  DeadlineList idle_list(io, milliseconds(10), [&](DeadlineEntry* e) { idle.push_back(e); });
  DeadlineList handshake_list(io, milliseconds(10),
                              [&](DeadlineEntry* e) { handshake.push_back(e); });
  DeadlineEntry x, y;
  handshake_list.Touch(&x);
  handshake_list.Touch(&y);
  idle_list.Touch(&x);   // logged in: moves lists
  idle_list.Remove(&y);  // not in this list: nothing happens
  io.run();
  EXPECT_EQ(idle, std::vector<DeadlineEntry*>{&x});
  EXPECT_EQ(handshake, std::vector<DeadlineEntry*>{&y});
}

TEST(DeadlineListTest, ZeroTimeoutIsOff) {
  boost::asio::io_context io;
  int expired = 0;
  DeadlineList list(io, milliseconds(0), [&](DeadlineEntry*) { ++expired; });
  DeadlineEntry e;
  list.Touch(&e);
  io.run();
  EXPECT_EQ(expired, 0);
  EXPECT_EQ(e.list, nullptr);
}

}  // namespace
}  // namespace caucus::session
