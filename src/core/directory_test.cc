#include "core/directory.h"

#include <gtest/gtest.h>

namespace caucus::core {
namespace {

TEST(DirectoryTest, FindsWithoutRegardToCaseShowsAsRegistered) {
  Directory d;
  d.Upsert({5, "MiXed", false, 0, 0});
  ASSERT_NE(d.Find("mixed"), nullptr);
  EXPECT_EQ(d.Find("MIXED")->name, "MiXed");
  EXPECT_EQ(d.Get(5)->name, "MiXed");
  EXPECT_EQ(d.Get(6), nullptr);
  EXPECT_EQ(d.Find("other"), nullptr);
}

TEST(DirectoryTest, UpsertRefreshesAdminAndKeepsLatestLogin) {
  Directory d;
  d.Upsert({1, "a", false, 0, 500});
  d.Upsert({1, "a", true, 0, 100});
  EXPECT_TRUE(d.Get(1)->admin);
  EXPECT_EQ(d.Get(1)->last_login_ms, 500);
  EXPECT_EQ(d.size(), 1u);
}

TEST(DirectoryTest, ReservationsHoldANameInFlight) {
  Directory d;
  EXPECT_TRUE(d.Reserve("bob"));
  EXPECT_FALSE(d.Reserve("bob"));
  EXPECT_TRUE(d.Taken("bob"));
  d.Release("bob");
  EXPECT_FALSE(d.Taken("bob"));
}

}  // namespace
}  // namespace caucus::core
