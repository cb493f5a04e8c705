// End to end: what caucusd's subcommands tell an operator who walks the
// seeds' workflows (issue 16): an import that takes nothing fails and says
// how to take the seeds' short passwords; the board is in the logs; an
// empty log says so.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "harness.h"

namespace caucus::test {
namespace {

TEST(CliHintsE2E, AnImportOfShortPasswordsFailsAndSaysHowToTakeThem) {
  TempDir dir;
  ServerProcess server;
  const std::string file = dir.path() + "/credentials.txt";
  std::ofstream(file) << "yoda wise\nluke force\n";
  std::string out, err;
  EXPECT_EQ(server.Cli({"users", "import", file}, "", &out, &err), 1) << out << err;
  EXPECT_NE(out.find("imported 0 accounts, skipped 2 lines"), std::string::npos) << out;
  EXPECT_NE(err.find("--min-password 1"), std::string::npos) << err;
  out.clear();
  err.clear();
  EXPECT_EQ(server.Cli({"users", "import", file, "--min-password", "1"}, "", &out, &err), 0)
      << out << err;
  EXPECT_NE(out.find("imported 2 accounts, skipped 0 lines"), std::string::npos) << out;
}

TEST(CliHintsE2E, TheBoardIsInTheLogsAndAnEmptyLogSaysSo) {
  ServerProcess server;
  std::string out, err;
  EXPECT_EQ(server.Cli({"log", "board"}, "", &out, &err), 0);
  EXPECT_EQ(out, "");
  EXPECT_NE(err.find("no post created or edited since"), std::string::npos) << err;
  err.clear();
  EXPECT_EQ(server.Cli({"log", "messages"}, "", &out, &err), 0);
  EXPECT_NE(err.find("no direct messages or broadcasts since"), std::string::npos) << err;

  auto c = LoggedIn(server, FreshName("poster"));
  ASSERT_TRUE(c->Cmd("POST :the first post").ok());
  ASSERT_TRUE(c->Cmd("EDIT 1 :the first post, edited").ok());
  out.clear();
  err.clear();
  EXPECT_EQ(server.Cli({"log", "board"}, "", &out, &err), 0) << err;
  EXPECT_NE(out.find(" #1 "), std::string::npos) << out;
  EXPECT_NE(out.find(": the first post, edited (edited "), std::string::npos) << out;
  EXPECT_EQ(err, "");
}

TEST(CliHintsE2E, EverySubcommandsHelpSaysWhichOptionsItUses) {
  ServerProcess server;
  for (const std::vector<std::string>& command : {std::vector<std::string>{"users", "import"},
                                                  {"users", "list"},
                                                  {"poll", "create"},
                                                  {"log", "board"},
                                                  {"log", "messages"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    std::string out;
    EXPECT_EQ(server.Cli(args, "", &out), 0) << out;
    EXPECT_NE(out.find("this command uses: --data DIR"), std::string::npos) << out;
  }
  std::string out;
  EXPECT_EQ(server.Cli({"users", "import", "--help"}, "", &out), 0);
  EXPECT_NE(out.find("--min-password"), std::string::npos) << out;
}

}  // namespace
}  // namespace caucus::test
