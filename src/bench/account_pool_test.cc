#include "bench/account_pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

namespace caucus::bench {
namespace {

TEST(AccountPoolTest, NamesAndIdentities) {
  AccountPool pool("b", "pw123456");
  EXPECT_EQ(pool.Name(42), "b42");
  Identity id = pool.Get(42);
  EXPECT_EQ(id.name, "b42");
  EXPECT_EQ(id.password, "pw123456");
  EXPECT_EQ(id.token, "");
  pool.Learn("b42", "tok");
  pool.Learn("b43", "");
  EXPECT_EQ(pool.Get(42).token, "tok");
  EXPECT_EQ(pool.Get(43).token, "");
  EXPECT_EQ(pool.GetByName("admin").name, "admin");
  EXPECT_EQ(pool.tokens(), 1u);
}

TEST(AccountPoolTest, SavesAndLoads) {
  const std::string path = ::testing::TempDir() + "account_pool_test." + std::to_string(::getpid());
  AccountPool a("b", "pw");
  a.Learn("b1", "t1");
  a.Learn("b2", "t2");
  std::string why;
  ASSERT_TRUE(a.Save(path, &why)) << why;
  AccountPool b("b", "pw");
  ASSERT_TRUE(b.Load(path, &why)) << why;
  EXPECT_EQ(b.Get(1).token, "t1");
  EXPECT_EQ(b.Get(2).token, "t2");
  std::remove(path.c_str());
}

TEST(AccountPoolTest, MissingFileIsEmpty) {
  AccountPool pool("b", "pw");
  std::string why;
  EXPECT_TRUE(pool.Load("/nonexistent/dir/tokens", &why));
  EXPECT_EQ(pool.tokens(), 0u);
}

}  // namespace
}  // namespace caucus::bench
