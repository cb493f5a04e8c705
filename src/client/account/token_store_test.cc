#include "client/account/token_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "client/commands/receipt_log.h"

namespace caucus::client {
namespace {

namespace fs = std::filesystem;

class PrivateFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "caucus-client-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  static mode_t Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }
  std::string dir_;
};

TEST_F(PrivateFilesTest, TokensAreSavedPrivatelyPerServer) {
  const std::string path = dir_ + "/config/caucus/sessions";
  TokenStore store(path);
  std::string error;
  EXPECT_FALSE(store.Load("localhost:5545"));
  ASSERT_TRUE(store.Save("localhost:5545", {"alice", "tok1"}, &error)) << error;
  ASSERT_TRUE(store.Save("[::1]:5545", {"bob", "tok2"}, &error)) << error;
  ASSERT_TRUE(store.Save("localhost:5545", {"Alice", "tok3"}, &error)) << error;
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(dir_ + "/config/caucus"), 0700u);
  EXPECT_EQ(Mode(dir_ + "/config"), 0700u);
  auto saved = TokenStore(path).Load("localhost:5545");
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->name, "Alice");
  EXPECT_EQ(saved->token, "tok3");
  ASSERT_TRUE(store.Forget("localhost:5545", &error)) << error;
  EXPECT_FALSE(store.Load("localhost:5545"));
  EXPECT_EQ(store.Load("[::1]:5545")->token, "tok2");
  EXPECT_TRUE(store.Forget("nowhere:1", &error));
}

TEST_F(PrivateFilesTest, ReceiptsAreAppendedPrivately) {
  const std::string path = dir_ + "/r/receipts";
  ReceiptLog log(path);
  std::string error;
  ASSERT_TRUE(log.Append({1795288080000, "localhost:5545", "alice", "p1", "2", "R1"}, &error));
  ASSERT_TRUE(log.Append({1795288081000, "localhost:5545", "alice", "p2", "1", "R2"}, &error));
  EXPECT_EQ(Mode(path), 0600u);
  std::ifstream in(path);
  std::string a, b;
  std::getline(in, a);
  std::getline(in, b);
  EXPECT_EQ(a, "2026-11-21T19:08:00.000Z localhost:5545 alice p1 2 R1");
  EXPECT_EQ(b, "2026-11-21T19:08:01.000Z localhost:5545 alice p2 1 R2");
}

}  // namespace
}  // namespace caucus::client
