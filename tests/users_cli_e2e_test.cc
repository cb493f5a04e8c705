// End to end: `caucusd users ...`, the operator's account commands (issue 2).
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "harness.h"

namespace caucus::test {
namespace {

const std::string kPassword = "password-123";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The line of `report` about line `number` of `file`, or "".
std::string ReportOn(const std::string& report, const std::string& file, int number) {
  for (const auto& line : Lines(report)) {
    if (line.find(file + ":" + std::to_string(number) + ":") != std::string::npos) return line;
  }
  return "";
}

// LOGIN on a new connection; returns the final line.
std::string LoginAs(const ServerProcess& server, const std::string& name,
                    const std::string& password) {
  Client c("127.0.0.1", server.port());
  return c.Cmd("LOGIN " + name + " " + password).final;
}

bool AnyFileHolds(const std::string& dir, const std::string& secret) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (bytes.str().find(secret) != std::string::npos) return true;
  }
  return false;
}

// The accounts of `users list`: name -> the rest of its line.
std::map<std::string, std::string> Listed(const ServerProcess& server) {
  std::string out;
  EXPECT_EQ(server.Cli({"users", "list"}, "", &out), 0) << out;
  std::map<std::string, std::string> accounts;
  for (const auto& line : Lines(out)) {
    const size_t sp = line.find(' ');
    if (sp != std::string::npos) accounts[line.substr(0, sp)] = line.substr(sp + 1);
  }
  return accounts;
}

TEST(UsersCliE2E, ImportReportsEverySkippedLineAndCreatesTheRest) {
  ServerProcess server;
  const std::string taken = FreshName("taken");
  Register(server, taken);
  server.Stop();

  const std::string good1 = FreshName("imp");
  const std::string good2 = FreshName("imp");
  const std::string good3 = FreshName("imp");
  const std::string pw1 = "Import-" + FreshName("pw") + "-one";
  const std::string pw2 = "Import-" + FreshName("pw") + "-two";
  const std::string pw3 = "Import-" + FreshName("pw") + "-three";
  std::string upper = good1;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  TempDir dir;
  const std::string file = dir.path() + "/credentials.txt";
  {
    std::ofstream out(file);
    out << good1 << " " << pw1 << "\n"                        // 1 good
        << good2 << " " << pw2 << "\r\n"                      // 2 good, CRLF
        << "\n"                                               // 3 blank
        << "just-a-name\n"                                    // 4 malformed
        << good1 << " another-password\n"                     // 5 duplicate
        << upper << " yet-another-password\n"                 // 6 duplicate, other case
        << FreshName("imp") << " two words-too-many extra\n"  // 7 malformed
        << FreshName("imp") << " short\n"                     // 8 weak password
        << "bad!name " << kPassword << "\n"                   // 9 bad name
        << taken << " " << kPassword << "\n"                  // 10 already an account
        << "   " << good3 << "    " << pw3 << "   \n";        // 11 good, spaced
  }
  std::string out, err;
  EXPECT_EQ(server.Cli({"users", "import", file}, "", &out, &err), 0) << out << err;
  for (int good : {1, 2, 11}) {
    EXPECT_EQ(ReportOn(err, file, good), "") << "line " << good << " was reported: " << err;
  }
  struct Skip {
    int line;
    std::vector<std::string> why;  // any of these words, case aside
  };
  for (const Skip& s :
       {Skip{3, {"blank", "empty"}}, Skip{4, {"malformed", "expected"}}, Skip{5, {"duplicate"}},
        Skip{6, {"duplicate"}}, Skip{7, {"malformed", "expected"}}, Skip{8, {"password"}},
        Skip{9, {"name"}}, Skip{10, {"taken", "exists"}}}) {
    const std::string report = Lower(ReportOn(err, file, s.line));
    EXPECT_NE(report, "") << "line " << s.line << " was not reported:\n" << err;
    bool says_why = false;
    for (const auto& w : s.why) says_why = says_why || report.find(w) != std::string::npos;
    EXPECT_TRUE(says_why) << "line " << s.line << ": " << report;
  }

  server.Start();
  EXPECT_EQ(LoginAs(server, good1, pw1).rfind("OK LOGIN " + good1 + " ", 0), 0u);
  EXPECT_EQ(LoginAs(server, good2, pw2).rfind("OK LOGIN " + good2 + " ", 0), 0u)
      << "a CR before the LF is not part of the password";
  EXPECT_EQ(LoginAs(server, good3, pw3).rfind("OK LOGIN " + good3 + " ", 0), 0u);
  // The duplicate did not replace the first line's password.
  EXPECT_EQ(Params(LoginAs(server, good1, "another-password")).at(2), "AUTH_FAILED");
  EXPECT_EQ(Params(LoginAs(server, "just-a-name", kPassword)).at(2), "NO_SUCH_USER");
  EXPECT_EQ(LoginAs(server, taken, kPassword).rfind("OK LOGIN ", 0), 0u);
  // Passwords are stored hashed only.
  for (const auto& pw : {pw1, pw2, pw3}) EXPECT_FALSE(AnyFileHolds(server.data(), pw)) << pw;
}

TEST(UsersCliE2E, ImportOfAMissingFileFails) {
  ServerProcess server;
  server.Stop();
  std::string out;
  EXPECT_NE(server.Cli({"users", "import", server.data() + "/no-such-file"}, "", &out), 0) << out;
  EXPECT_NE(out.find("no-such-file"), std::string::npos) << out;
}

TEST(UsersCliE2E, AddTakesThePasswordFromStdin) {
  ServerProcess server;
  server.Stop();
  const std::string name = FreshName("add");
  const std::string pw = "Added-" + FreshName("pw") + "-secret";
  std::string out;
  ASSERT_EQ(server.Cli({"users", "add", name}, pw + "\n", &out), 0) << out;
  EXPECT_NE(server.Cli({"users", "add", name}, pw + "\n", &out), 0) << "added twice: " << out;
  EXPECT_NE(server.Cli({"users", "add", FreshName("add")}, "short\n", &out), 0)
      << "a weak password was accepted: " << out;
  EXPECT_NE(server.Cli({"users", "add", "bad!name"}, pw + "\n", &out), 0) << out;
  server.Start();
  EXPECT_EQ(LoginAs(server, name, pw).rfind("OK LOGIN " + name + " ", 0), 0u);
  EXPECT_FALSE(AnyFileHolds(server.data(), pw));
}

TEST(UsersCliE2E, ListShowsEveryAccountAndWhetherItIsAnAdmin) {
  ServerProcess server;
  const std::string user = FreshName("lst");
  Register(server, user);
  server.Stop();
  const std::string admin = FreshName("adm");
  std::string out;
  ASSERT_EQ(server.Cli({"users", "add", admin, "--admin"}, kPassword + "\n", &out), 0) << out;
  auto accounts = Listed(server);
  ASSERT_EQ(accounts.count(user), 1u);
  ASSERT_EQ(accounts.count(admin), 1u);
  EXPECT_EQ(accounts[user].find("admin"), std::string::npos) << accounts[user];
  EXPECT_NE(accounts[admin].find("admin"), std::string::npos) << accounts[admin];
}

TEST(UsersCliE2E, GrantAdminMakesAnAdmin) {
  ServerProcess server;
  const std::string name = FreshName("ga");
  const std::string other = FreshName("gb");
  int64_t post = 0;
  {
    auto author = LoggedIn(server, other);
    auto r = author->Cmd("POST :by someone else");
    ASSERT_TRUE(r.ok()) << r.final;
    post = std::stoll(r.params[2]);
    auto c = LoggedIn(server, name);
    EXPECT_EQ(c->Cmd("DELETE " + std::to_string(post)).code(), "NOT_AUTHOR");
  }
  server.Stop();
  std::string out;
  EXPECT_NE(server.Cli({"users", "grant-admin", FreshName("nobody")}, "", &out), 0) << out;
  ASSERT_EQ(server.Cli({"users", "grant-admin", name}, "", &out), 0) << out;
  EXPECT_NE(Listed(server)[name].find("admin"), std::string::npos);
  ASSERT_EQ(server.Cli({"log", "audit", "--since", "2000-01-01T00:00:00Z"}, "", &out), 0);
  EXPECT_NE(out.find(name), std::string::npos) << "not in the audit log: " << out;
  server.Start();
  Client c("127.0.0.1", server.port());
  ASSERT_TRUE(c.Cmd("LOGIN " + name + " " + kPassword).ok());
  EXPECT_EQ(c.Cmd("DELETE " + std::to_string(post)).final, "OK DELETE " + std::to_string(post));
}

}  // namespace
}  // namespace caucus::test
