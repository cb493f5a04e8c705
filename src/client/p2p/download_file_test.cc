#include "client/p2p/download_file.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "client/p2p/file_digest.h"

namespace caucus::client {
namespace {

class TempDirectory {
 public:
  TempDirectory() {
    char tmpl[] = "/tmp/caucus-dl-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDirectory() {
    for (const auto& name : Files()) ::unlink((path_ + "/" + name).c_str());
    ::rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }
  std::vector<std::string> Files() const {
    std::vector<std::string> names;
    DIR* d = ::opendir(path_.c_str());
    while (dirent* e = ::readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::string path_;
};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(DownloadName, SenderFirstAndNoDirectories) {
  EXPECT_EQ(DownloadName("alice", "report.pdf"), "alice_report.pdf");
  EXPECT_EQ(DownloadName("alice", "../../etc/passwd"), "alice_passwd");
  EXPECT_EQ(DownloadName("alice", "/abs/path/x"), "alice_x");
  EXPECT_EQ(DownloadName("alice", ".hidden"), "alice_hidden");
  EXPECT_EQ(DownloadName("alice", ".."), "alice_file");
  EXPECT_EQ(DownloadName("alice",
                         "a\x01"
                         "b\\c"),
            "alice_a_b_c");
  EXPECT_EQ(DownloadName("alice", "dir/"), "alice_file");
}

TEST(DownloadFile, KeptOnlyWhenAskedAndNeverOverwrites) {
  TempDirectory dir;
  std::string error;
  auto first = DownloadFile::Create(dir.path(), "alice_r.txt", &error);
  ASSERT_TRUE(first) << error;
  ASSERT_TRUE(first->Append("hello "));
  ASSERT_TRUE(first->Append("world"));
  ASSERT_EQ(dir.Files().size(), 1u);  // only the hidden temporary file
  EXPECT_EQ(dir.Files()[0].substr(0, 13), ".alice_r.txt.");
  auto path = first->Keep(&error);
  ASSERT_TRUE(path) << error;
  EXPECT_EQ(*path, dir.path() + "/alice_r.txt");
  EXPECT_EQ(Read(*path), "hello world");

  auto second = DownloadFile::Create(dir.path(), "alice_r.txt", &error);
  ASSERT_TRUE(second->Append("again"));
  path = second->Keep(&error);
  ASSERT_TRUE(path) << error;
  EXPECT_EQ(*path, dir.path() + "/alice_r-1.txt");
  EXPECT_EQ(Read(dir.path() + "/alice_r.txt"), "hello world");

  auto plain = DownloadFile::Create(dir.path(), "alice_r.txt", &error);
  plain.reset();  // never kept: nothing stays behind
  EXPECT_EQ(dir.Files(), (std::vector<std::string>{"alice_r-1.txt", "alice_r.txt"}));

  auto no_ext = DownloadFile::Create(dir.path(), "bob_notes", &error);
  EXPECT_EQ(*no_ext->Keep(&error), dir.path() + "/bob_notes");
  no_ext = DownloadFile::Create(dir.path(), "bob_notes", &error);
  EXPECT_EQ(*no_ext->Keep(&error), dir.path() + "/bob_notes-1");
}

TEST(DownloadFile, DiscardRemovesTheData) {
  TempDirectory dir;
  std::string error;
  auto f = DownloadFile::Create(dir.path(), "x_y", &error);
  ASSERT_TRUE(f->Append(std::string(3 << 20, 'z')));
  f->Discard();
  EXPECT_TRUE(dir.Files().empty());
  EXPECT_FALSE(f->Keep(&error));
}

TEST(FileDigest, HashesAndHex) {
  TempDirectory dir;
  const std::string path = dir.path() + "/abc";
  std::ofstream(path) << "abc";
  std::string error;
  const auto d = DigestFile(path, &error);
  ASSERT_TRUE(d) << error;
  EXPECT_EQ(d->size, 3u);
  EXPECT_EQ(ToHex(d->sha256), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(FromHex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"), d->sha256);
  EXPECT_FALSE(FromHex("ba78"));
  EXPECT_FALSE(FromHex(std::string(64, 'g')));
  EXPECT_FALSE(DigestFile(dir.path(), &error));  // a directory
  EXPECT_FALSE(DigestFile(dir.path() + "/missing", &error));
}

}  // namespace
}  // namespace caucus::client
