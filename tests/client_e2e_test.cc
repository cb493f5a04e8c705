// End to end: the real caucus client against the real caucusd, in script
// mode (pipes), at a terminal (a pseudo-terminal), and across a restart.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "client_fixture.h"
#include "client_process.h"
#include "harness.h"

namespace caucus::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_F(ClientE2E, HelpWithoutAServer) {
  ClientProcess p({"help"}, Env(), false);
  EXPECT_EQ(p.Wait(), 0);
  for (const char* line : {"who [SECONDS]", "msg USER TEXT", "vote ID [OPTION]", "MSG TEXT",
                           "= post TEXT", "whoelsesince SECONDS", "EX"}) {
    EXPECT_NE(p.output().find(line), std::string::npos) << line;
  }
  ClientProcess one({"help", "DLT"}, Env(), false);
  EXPECT_EQ(one.Wait(), 0);
  EXPECT_NE(one.output().find("delete N"), std::string::npos) << one.output();
}

TEST_F(ClientE2E, ScriptRunsEveryCommandAndAlias) {
  ServerProcess server;
  const std::string alice = FreshName("alice");
  const std::string bob = FreshName("bob");
  Register(server, alice);
  auto b = LoggedIn(server, bob);
  auto p = Script(server, alice,
                  "who\nwhoelse\nATU\nwho 60\nwhoelsesince 60\n"
                  "msg " +
                      bob + " one\nmessage " + bob + " two\nDM " + bob + " three\nDM " + bob +
                      " four\n"
                      "all five\nbroadcast six\nPM " +
                      bob +
                      " is late\n"
                      "# a comment, then a blank line\n\n"
                      "post first post\nMSG second post\nedit 1 first, edited\nEDT 2 second, "
                      "edited\nread\nRDM\nread 10m\nRDM 2026-01-01\n"
                      "delete 1\nDLT 2\nread\n"
                      "block " +
                      bob + "\nblocks\nunblock " + bob +
                      "\nblocks\n"
                      "history " +
                      bob + "\nhistory " + bob +
                      " 2\n"
                      "help\nhelp msg\n? vote\nEX\npost never sent\n");
  ASSERT_EQ(p->Wait(), 0) << p->all();
  const std::string out = p->output();
  for (const std::string& expected : std::vector<std::string>{"logged in as " + alice,
                                                              "  " + bob + "  online since",
                                                              "sent to " + bob,
                                                              "sent to 1 person",
                                                              "posted #1",
                                                              "posted #2",
                                                              "edited #1",
                                                              "edited #2",
                                                              ": first, edited (edited [",
                                                              ": second, edited (edited [",
                                                              "deleted #1",
                                                              "deleted #2",
                                                              "the board is empty",
                                                              "blocked " + bob,
                                                              "you block: " + bob,
                                                              "unblocked " + bob,
                                                              "you block nobody",
                                                              "-> " + bob + ": one",
                                                              "-> " + bob + ": four",
                                                              "list the commands, or explain one",
                                                              "also: message, DM",
                                                              "logged out",
                                                              "vote ID [OPTION]"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
  EXPECT_EQ(out.find("-> " + bob + ": one"), out.rfind("-> " + bob + ": one"));
  EXPECT_NE(out.find("-> " + bob + ": three\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("never sent"), std::string::npos);
  EXPECT_EQ(p->errors(), "");
  for (const char* text : {"one", "two", "three", "four"}) {
    const auto msg = b->WaitEvent("MSG ");
    EXPECT_NE(msg.find(alice + " dm :" + text), std::string::npos) << msg;
  }
  // PM is the seeds' public message: to everyone, the whole text.
  for (const std::string& text : std::vector<std::string>{"five", "six", bob + " is late"}) {
    const auto msg = b->WaitEvent("MSG ");
    EXPECT_NE(msg.find(alice + " broadcast :" + text), std::string::npos) << msg;
  }
  EXPECT_EQ(b->Cmd("READ").params.back(), "0");
}

TEST_F(ClientE2E, ScriptStopsAtTheFirstErrorUnlessToldToGoOn) {
  ServerProcess server;
  const std::string alice = FreshName("alice");
  Register(server, alice);
  auto p = Script(server, alice, "msg nobody_here hi\npost after the error\n");
  EXPECT_EQ(p->Wait(), 1);
  EXPECT_NE(p->errors().find("error: there is no such user"), std::string::npos) << p->all();
  EXPECT_EQ(p->output().find("posted"), std::string::npos) << p->all();

  auto q = Script(server, alice, "frobnicate\nmsg " + alice + " hi\npost after the errors\n",
                  {"--keep-going"});
  EXPECT_EQ(q->Wait(), 1);
  EXPECT_NE(q->errors().find("error: unknown command 'frobnicate'"), std::string::npos);
  EXPECT_NE(q->errors().find("error: that is you"), std::string::npos) << q->all();
  EXPECT_NE(q->output().find("posted #1"), std::string::npos) << q->all();
}

TEST_F(ClientE2E, JsonLines) {
  ServerProcess server;
  const std::string alice = FreshName("alice");
  const std::string bob = FreshName("bob");
  Register(server, alice);
  {
    auto b = LoggedIn(server, bob);
    ASSERT_TRUE(b->Cmd("SEND " + alice + " :while you were out").ok());
  }
  auto p = Script(server, alice, "who\nblock nobody_here\n", {"--json", "--keep-going"});
  EXPECT_EQ(p->Wait(), 1);
  const std::string out = p->output();
  EXPECT_NE(out.find("{\"type\":\"event\",\"verb\":\"MSG\",\"params\":[\"1\",\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"" + bob + "\",\"dm\",\"while you were out\"]}\n"), std::string::npos);
  EXPECT_NE(out.find("{\"type\":\"reply\",\"verb\":\"WHO\",\"ok\":true,\"params\":[\"0\"],"
                     "\"data\":[]}\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("{\"type\":\"reply\",\"verb\":\"BLOCK\",\"ok\":false,\"code\":\"NO_SUCH_"
                     "USER\",\"params\":[],\"text\":"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("{\"type\":\"info\",\"text\":\"logged in as " + alice + "\"}"),
            std::string::npos);
  size_t lines = 0;
  for (size_t at = 0; (at = out.find('\n', at)) != std::string::npos; ++at) ++lines;
  // The greeting, the login, the stored message, the peer-to-peer ports, two replies.
  EXPECT_EQ(lines, 6u) << out;
}

TEST_F(ClientE2E, WrongPasswordsAndLockout) {
  ServerProcess server({"--max-attempts", "2", "--block-duration", "60"});
  const std::string alice = FreshName("alice");
  Register(server, alice);
  const std::vector<std::string> args = {"127.0.0.1", std::to_string(server.port()), "--user",
                                         alice};
  ClientProcess first(args, Env({{"CAUCUS_PASSWORD", "wrong-password"}}), false);
  first.CloseInput();
  EXPECT_EQ(first.Wait(), 1);
  EXPECT_NE(first.errors().find("wrong password; 1 attempt left before the account is locked"),
            std::string::npos)
      << first.all();
  ClientProcess second(args, Env({{"CAUCUS_PASSWORD", "wrong-password"}}), false);
  second.CloseInput();
  EXPECT_EQ(second.Wait(), 3);
  EXPECT_NE(second.errors().find("too many wrong passwords: the account is locked for 1 minute"),
            std::string::npos)
      << second.all();
}

TEST_F(ClientE2E, PasswordFromAFileAndPasswdThenLogout) {
  ServerProcess server;
  const std::string alice = FreshName("alice");
  Register(server, alice);
  const std::string file = home_.path() + "/pw";
  std::ofstream(file) << kPassword << "\n";
  ::chmod(file.c_str(), 0600);
  const std::vector<std::string> args = {"127.0.0.1", std::to_string(server.port()), "--user",
                                         alice};
  auto with = [&](std::vector<std::string> more) {
    more.insert(more.begin(), args.begin(), args.end());
    return more;
  };
  ClientProcess p(with({"--password-file", file}), Env(), false);
  p.Write(std::string("passwd\n") + kPassword + "\nnew-password-1\nnew-password-1\nwho\nOUT\n");
  p.CloseInput();
  EXPECT_EQ(p.Wait(), 0) << p.all();
  EXPECT_NE(p.output().find("password changed"), std::string::npos) << p.all();
  EXPECT_NE(p.output().find("logged out"), std::string::npos) << p.all();

  ClientProcess old(args, Env({{"CAUCUS_PASSWORD", kPassword}}), false);
  old.CloseInput();
  EXPECT_EQ(old.Wait(), 1);
  ClientProcess fresh(args, Env({{"CAUCUS_PASSWORD", "new-password-1"}}), false);
  fresh.Write("logout\n");
  fresh.CloseInput();
  EXPECT_EQ(fresh.Wait(), 0) << fresh.all();
}

// The port of the server's ::1 listener, from its ports file; 0 if none.
uint16_t Ipv6Port(const ServerProcess& server) {
  std::ifstream in(server.data() + "/ports");
  std::string address;
  int port;
  while (in >> address >> port) {
    if (address.rfind("[::1]:", 0) == 0) return static_cast<uint16_t>(port);
  }
  return 0;
}

TEST_F(ClientE2E, Ipv6Literal) {
  ServerProcess server({"--listen", "::1"});
  const uint16_t port = Ipv6Port(server);
  if (port == 0) GTEST_SKIP() << "no IPv6 loopback here";
  const std::string alice = FreshName("alice");
  Register(server, alice);
  for (const std::string host : {"::1", "[::1]"}) {
    ClientProcess p({host, std::to_string(port), "--user", alice},
                    Env({{"CAUCUS_PASSWORD", kPassword}}), false);
    p.Write("who\n");
    p.CloseInput();
    EXPECT_EQ(p.Wait(), 0) << p.all();
    EXPECT_NE(p.output().find("nobody else is online"), std::string::npos) << p.all();
  }
}

// A person at a terminal who asked to stay signed in: registration,
// completion, an event printed above the line being typed, the line
// surviving it, Ctrl-C on an empty line leaving; then the saved session
// resumed by a script, and forgotten.
TEST_F(ClientE2E, TerminalSessionAndSavedSession) {
  ServerProcess server;
  const std::string carol = FreshName("carol");
  const std::string bob = FreshName("bob");
  auto b = LoggedIn(server, bob);
  const std::string port = std::to_string(server.port());
  {
    ClientProcess p({"127.0.0.1", port, "--stay-signed-in"}, Env(), true);
    ASSERT_SHOWS(p, "Name: ");
    p.Write(carol + "\r");
    ASSERT_SHOWS(p, "Password for " + carol + ": ");
    p.Write("first-guess\r");
    ASSERT_SHOWS(p, "There is no account " + carol + ". Create it? [y/n] ");
    p.Write("y\r");
    ASSERT_SHOWS(p, "New password for " + carol + ": ");
    p.Write("carol-password\r");
    ASSERT_SHOWS(p, "The same password again: ");
    p.Write("carol-password\r");
    ASSERT_SHOWS(p, "logged in as " + carol);
    const size_t prompt = p.WaitFor(carol + "> ");
    ASSERT_NE(prompt, std::string::npos) << p.output();
    EXPECT_EQ(p.output().find("carol-password"), std::string::npos) << "password echoed";

    p.Write("msg " + bob.substr(0, 4) + "\t");  // completes the online name
    ASSERT_SHOWS(p, carol + "> msg " + bob + " ");
    p.Write("half");
    ASSERT_SHOWS(p, "msg " + bob + " half");
    ASSERT_TRUE(b->Cmd("SEND " + carol + " :ping from bob").ok());
    const size_t event = p.WaitFor(bob + " -> you: ping from bob");
    ASSERT_NE(event, std::string::npos) << p.output();
    // The prompt and the half-typed line are drawn again below the event.
    ASSERT_NE(p.WaitFor(carol + "> msg " + bob + " half", event), std::string::npos) << p.output();
    p.Write(" done\r");
    EXPECT_NE(b->WaitEvent("MSG ").find(carol + " dm :half done"), std::string::npos);
    ASSERT_SHOWS(p, "sent to " + bob);

    p.Signal(SIGINT);
    ASSERT_SHOWS(p, "still signed in as " + carol);
    EXPECT_EQ(p.Wait(), 0) << p.output();
  }
  struct stat st {};
  ASSERT_EQ(::stat((home_.path() + "/config/caucus/sessions").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  ClientProcess resumed({"127.0.0.1", port}, Env(), false);
  resumed.Write("who\n");
  resumed.CloseInput();
  EXPECT_EQ(resumed.Wait(), 0) << resumed.all();
  EXPECT_NE(resumed.output().find("resumed the session of " + carol), std::string::npos)
      << resumed.all();

  ClientProcess forget({"127.0.0.1", port, "--forget"}, Env(), false);
  EXPECT_EQ(forget.Wait(), 0);
  EXPECT_NE(forget.output().find("forgot the session saved for 127.0.0.1:" + port),
            std::string::npos);
  ClientProcess none({"127.0.0.1", port}, Env(), false);
  none.CloseInput();
  EXPECT_EQ(none.Wait(), 1);
  EXPECT_NE(none.errors().find("no saved session"), std::string::npos) << none.all();
}

TEST_F(ClientE2E, TerminalRegistrationWithEmailAndGeneratedPassword) {
  ServerProcess server(
      {"--registration", "email", "--email-domain", "example\\.org", "--generate-passwords"});
  const std::string name = FreshName("dora");
  ClientProcess p({"127.0.0.1", std::to_string(server.port())}, Env(), true);
  ASSERT_SHOWS(p, "Name: ");
  p.Write(name + "\r");
  ASSERT_SHOWS(p, "Password for " + name + ": ");
  p.Write("anything\r");
  ASSERT_SHOWS(p, "Create it? [y/n] ");
  p.Write("y\r");
  ASSERT_SHOWS(p, "Your e-mail address: ");
  p.Write("not-an-address\r");
  ASSERT_SHOWS(p, "'not-an-address' does not look like an e-mail address");
  p.Write(name + "@example.org\r");
  ASSERT_SHOWS(p, "It is shown only this once");
  ASSERT_SHOWS(p, "logged in as " + name + "@example.org");
  const std::string out = p.output();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("made this password for it:\n\n    (\\S+)\n")))
      << out;
  p.Write("logout\r");
  EXPECT_EQ(p.Wait(), 0) << p.output();
  Client c("127.0.0.1", server.port());
  EXPECT_TRUE(c.Cmd("LOGIN " + name + "@example.org " + m[1].str()).ok());
}

TEST_F(ClientE2E, TerminalLoginOutlastsTheHandshakeTimeout) {
  ServerProcess server({"--handshake-timeout", "1"});
  const std::string alice = FreshName("alice");
  Register(server, alice);
  ClientProcess p({"127.0.0.1", std::to_string(server.port())}, Env(), true);
  ASSERT_SHOWS(p, "Name: ");
  ASSERT_SHOWS(p, "disconnected: no login in time");
  p.Write(alice + "\r");
  ASSERT_SHOWS(p, "Password for " + alice + ": ");
  p.Write(std::string(kPassword) + "\r");
  ASSERT_SHOWS(p, "logged in as " + alice);
  p.Write("quit\r");
  EXPECT_EQ(p.Wait(), 0) << p.output();
}

// caucusd on a port of our choosing, so that a restarted server is found
// where the client left it.
class ServerOnPort {
 public:
  ServerOnPort(uint16_t port, const std::string& data) {
    const std::string ports = data + "/ports-again";
    ::unlink(ports.c_str());
    pid_ = ::fork();
    if (pid_ == 0) {
      const int log =
          ::open((data + "/server-again.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(log, 1);
      ::dup2(log, 2);
      const std::string p = std::to_string(port);
      ::execl(CAUCUSD_PATH, CAUCUSD_PATH, "--listen", "127.0.0.1", "--port", p.c_str(), "--data",
              data.c_str(), "--ports-file", ports.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = Clock::now() + 30s;
    while (Clock::now() < deadline && !std::ifstream(ports).good()) {
      std::this_thread::sleep_for(10ms);
    }
  }
  ~ServerOnPort() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }

 private:
  pid_t pid_;
};

TEST_F(ClientE2E, ReconnectsWithResumeAfterTheServerRestarts) {
  ServerProcess server;
  const std::string alice = FreshName("alice");
  Register(server, alice);
  const uint16_t port = server.port();
  ClientProcess p({"127.0.0.1", std::to_string(port), "--user", alice},
                  Env({{"CAUCUS_PASSWORD", kPassword}}), false);
  p.Write("post before the restart\n");
  ASSERT_SHOWS(p, "posted #1");

  server.Stop();
  const size_t lost = p.WaitFor("connecting again to 127.0.0.1:" + std::to_string(port));
  ASSERT_NE(lost, std::string::npos) << p.all();
  ServerOnPort again(port, server.data());
  ASSERT_NE(p.WaitFor("resumed the session of " + alice, lost), std::string::npos) << p.all();

  p.Write("post after the restart\nread\n");
  ASSERT_SHOWS(p, ": after the restart");
  Client bob("127.0.0.1", port);
  const std::string b = FreshName("bob");
  ASSERT_TRUE(bob.Cmd("REGISTER " + b + " " + kPassword).ok());
  ASSERT_TRUE(bob.Cmd("LOGIN " + b + " " + kPassword).ok());
  const Reply who = bob.Cmd("WHO");
  ASSERT_EQ(who.data.size(), 1u) << who.final;
  EXPECT_NE(who.data[0].find("USER " + alice + " "), std::string::npos);
  p.CloseInput();
  EXPECT_EQ(p.Wait(), 0) << p.all();
  EXPECT_NE(p.output().find("the server is shutting down; connecting again"), std::string::npos)
      << p.all();
}

// An admin account made on the command line before the server starts.
std::string DataWithAdmin(const TempDir& dir, const std::string& admin) {
  const std::string cmd = std::string(CAUCUSD_PATH) + " users add " + admin + " --data '" +
                          dir.path() + "' >/dev/null 2>&1 && " + CAUCUSD_PATH +
                          " users grant-admin " + admin + " --data '" + dir.path() +
                          "' >/dev/null 2>&1";
  FILE* p = ::popen(cmd.c_str(), "w");
  std::fputs((std::string(kPassword) + "\n").c_str(), p);
  EXPECT_EQ(::pclose(p), 0);
  return dir.path();
}

// Opens a poll with two options as `admin`; skips the test while the
// server has no polls.
std::string OpenPoll(Client& admin, const std::string& flags) {
  if (admin.Cmd("POLLS").code() == "UNKNOWN_COMMAND") return {};
  auto r = admin.Cmd("POLLNEW - +300 " + flags + " :Lunch?");
  EXPECT_TRUE(r.ok()) << r.final;
  const std::string id = r.params.at(2);
  EXPECT_TRUE(admin.Cmd("POLLOPTION " + id + " :Pizza").ok());
  EXPECT_TRUE(admin.Cmd("POLLOPTION " + id + " :Sushi").ok());
  EXPECT_TRUE(admin.Cmd("POLLOPEN " + id).ok());
  return id;
}

class ClientPollE2E : public ClientE2E {
 protected:
  void SetUp() override {
    server_.emplace(std::vector<std::string>{}, DataWithAdmin(data_, "admin"));
    admin_.emplace("127.0.0.1", server_->port());
    ASSERT_TRUE(admin_->Cmd(std::string("LOGIN admin ") + kPassword).ok());
  }
  // Opens a poll and registers a voter; an empty id when the poll could not be made.
  std::string Poll(const std::string& flags) {
    const std::string id = OpenPoll(*admin_, flags);
    if (id.empty()) return {};
    voter_ = FreshName("voter");
    Register(*server_, voter_);
    return id;
  }
  TempDir data_;
  std::optional<ServerProcess> server_;
  std::optional<Client> admin_;
  std::string voter_;
};

#define POLL_OR_FAIL(id, flags)       \
  const std::string id = Poll(flags); \
  ASSERT_FALSE(id.empty()) << "no poll could be created"

TEST_F(ClientPollE2E, ScriptVotesSeesResultsAndVerifies) {
  POLL_OR_FAIL(id, "live");
  const std::string receipts = home_.path() + "/my-receipts";
  auto p =
      Script(*server_, voter_, "polls\npoll " + id + "\nvote " + id + " 2\nresults " + id + "\n",
             {"--receipts", receipts});
  ASSERT_EQ(p->Wait(), 0) << p->all();
  const std::string out = p->output();
  EXPECT_NE(out.find("Lunch? (open"), std::string::npos) << out;
  EXPECT_NE(out.find("  2. Sushi"), std::string::npos) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("vote recorded; receipt (\\S+) ")));
  const std::string receipt = m[1].str();
  EXPECT_NE(out.find("Results of poll " + id + ": 1 of "), std::string::npos) << out;
  std::string saved;
  std::getline(std::ifstream(receipts), saved);
  EXPECT_NE(saved.find(" " + voter_ + " " + id + " 2 " + receipt), std::string::npos) << saved;

  auto v = Script(*server_, voter_, "verify " + id + " " + receipt + "\nvote " + id + " 1\n");
  EXPECT_EQ(v->Wait(), 1);
  EXPECT_NE(v->output().find("counts for option 2 of poll " + id), std::string::npos) << v->all();
  EXPECT_NE(v->errors().find("you have already voted in this poll"), std::string::npos);
}

TEST_F(ClientPollE2E, ScriptGivesThePasswordAPollAsksFor) {
  POLL_OR_FAIL(id, "vote-password");
  auto p = Script(*server_, voter_, "vote " + id + " 1\n", {"--no-receipts"});
  ASSERT_EQ(p->Wait(), 0) << p->all();
  EXPECT_NE(p->output().find("vote recorded"), std::string::npos) << p->all();
}

TEST_F(ClientPollE2E, VotingMenu) {
  POLL_OR_FAIL(id, "live");
  auto p = Script(*server_, voter_, "1\n1\n2\n2\n1\n3\n", {"--vote", "--no-receipts"});
  ASSERT_EQ(p->Wait(), 0) << p->all();
  const std::string out = p->output();
  EXPECT_NE(out.find("1) vote   2) results   3) quit"), std::string::npos) << out;
  EXPECT_NE(out.find("  1. Lunch? (" + id + ", open)"), std::string::npos) << out;
  EXPECT_NE(out.find("vote recorded; receipt "), std::string::npos) << out;
  EXPECT_NE(out.find("  2. Sushi  1"), std::string::npos) << out;
}

TEST_F(ClientPollE2E, TerminalVoteChoosesFromTheList) {
  POLL_OR_FAIL(id, "-");
  ClientProcess p({"127.0.0.1", std::to_string(server_->port()), "--user", voter_},
                  Env({{"CAUCUS_PASSWORD", kPassword}}), true);
  ASSERT_SHOWS(p, voter_ + "> ");
  p.Write("vote " + id + "\r");
  ASSERT_SHOWS(p, "Your choice (1-2, empty to cancel): ");
  p.Write("1\r");
  ASSERT_SHOWS(p, "vote recorded; receipt ");
  p.Write("quit\r");
  EXPECT_EQ(p.Wait(), 0) << p.output();
}

// --tls: a server with a certificate from `caucusd tls self-signed`.
class ClientTlsE2E : public ClientE2E {
 protected:
  void SetUp() override {
    ServerProcess tool;
    std::string out;
    ASSERT_EQ(tool.Cli({"tls", "self-signed", certs_.path() + "/a"}, "", &out), 0) << out;
    ASSERT_EQ(tool.Cli({"tls", "self-signed", certs_.path() + "/b"}, "", &out), 0) << out;
  }
  std::string Cert(const std::string& which) const {
    return certs_.path() + "/" + which + "/cert.pem";
  }
  std::vector<std::string> TlsServerOptions(const std::string& address = "127.0.0.1") const {
    return {"--tls-cert",   Cert("a"), "--tls-key",  certs_.path() + "/a/key.pem",
            "--tls-listen", address,   "--tls-port", "0"};
  }
  std::unique_ptr<ClientProcess> TlsScript(const std::string& host, uint16_t port,
                                           const std::string& user, const std::string& input,
                                           std::vector<std::string> extra) {
    std::vector<std::string> args = {host, std::to_string(port), "--user", user, "--tls"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = std::make_unique<ClientProcess>(args, Env({{"CAUCUS_PASSWORD", kPassword}}), false);
    p->Write(input);
    p->CloseInput();
    return p;
  }
  TempDir certs_;
};

TEST_F(ClientTlsE2E, LogsInAndSendsOverTls) {
  ::caucus::test::ServerProcess server(TlsServerOptions());
  const std::string alice = FreshName("alice");
  const std::string bob = FreshName("bob");
  Register(server, alice);
  auto b = LoggedIn(server, bob);
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    auto p = TlsScript(host, server.tls_port(), alice, "msg " + bob + " hello over tls\n",
                       {"--ca", Cert("a")});
    ASSERT_EQ(p->Wait(), 0) << p->all();
    EXPECT_NE(p->output().find("sent to " + bob), std::string::npos) << p->all();
    EXPECT_NE(b->WaitEvent("MSG ").find(":hello over tls"), std::string::npos);
  }
}

TEST_F(ClientTlsE2E, RefusesACertificateItDoesNotTrust) {
  ::caucus::test::ServerProcess server(TlsServerOptions());
  const std::string alice = FreshName("alice");
  Register(server, alice);
  auto p = TlsScript("127.0.0.1", server.tls_port(), alice, "who\n", {"--ca", Cert("b")});
  EXPECT_EQ(p->Wait(), 4) << p->all();
  EXPECT_NE(p->errors().find("refusing the server's certificate"), std::string::npos) << p->all();
  // Without --ca, the system's roots do not vouch for a self-signed one either.
  auto q = TlsScript("127.0.0.1", server.tls_port(), alice, "who\n", {});
  EXPECT_EQ(q->Wait(), 4) << q->all();
  EXPECT_NE(q->errors().find("--ca FILE"), std::string::npos) << q->all();
}

TEST_F(ClientTlsE2E, RefusesACertificateForAnotherAddress) {
  // The certificate names localhost, 127.0.0.1 and ::1; not 127.0.0.2.
  ::caucus::test::ServerProcess server(TlsServerOptions("127.0.0.2"));
  const std::string alice = FreshName("alice");
  Register(server, alice);
  auto p = TlsScript("127.0.0.2", server.tls_port(), alice, "who\n", {"--ca", Cert("a")});
  EXPECT_EQ(p->Wait(), 4) << p->all();
  EXPECT_NE(p->errors().find("mismatch"), std::string::npos) << p->all();
}

TEST_F(ClientTlsE2E, TlsToAPlainPortFailsClearly) {
  ::caucus::test::ServerProcess server;
  auto p = TlsScript("127.0.0.1", server.port(), "nobody", "who\n", {"--ca", Cert("a")});
  EXPECT_EQ(p->Wait(), 1) << p->all();
  EXPECT_NE(p->errors().find("TLS handshake failed"), std::string::npos) << p->all();
}

TEST_F(ClientTlsE2E, DefaultPortIs5546) {
  ClientProcess p({"127.0.0.1", "--tls", "--user", "nobody", "--retry", "0"},
                  Env({{"CAUCUS_PASSWORD", kPassword}}), false);
  p.CloseInput();
  p.Wait();
  EXPECT_NE(p.all().find("127.0.0.1:5546"), std::string::npos) << p.all();
}

TEST_F(ClientTlsE2E, CaNeedsTls) {
  ClientProcess p({"127.0.0.1", "--ca", Cert("a")}, Env(), false);
  p.CloseInput();
  EXPECT_EQ(p.Wait(), 2) << p.all();
}

}  // namespace
}  // namespace caucus::test
