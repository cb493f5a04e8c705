// End to end, the caucus client as people use it (issue 16): nothing typed
// goes astray (an idle logout never turns chat into password guesses),
// leaving a shared terminal ends the session, the rules are said up front,
// and the seeds' PM, DM, EDT and DLT mean what they meant there. The real
// client on a pseudo-terminal or pipes, against the real caucusd.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
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

class TerminalE2E : public ClientE2E {
 protected:
  // A person at the terminal, logging in by typing name and password.
  std::unique_ptr<ClientProcess> Person(const ServerProcess& server, const std::string& name,
                                        std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"127.0.0.1", std::to_string(server.port())};
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = std::make_unique<ClientProcess>(args, Env(), true);
    if (p->WaitFor("Name: ") == std::string::npos) {
      ADD_FAILURE() << "no Name: prompt\n" << p->output();
      return p;
    }
    p->Write(name + "\r");
    p->WaitFor("Password for " + name + ": ");
    p->Write(std::string(kPassword) + "\r");
    if (p->WaitFor(name + "> ") == std::string::npos) {
      ADD_FAILURE() << "no prompt after the login\n" << p->output();
    }
    return p;
  }

  // The saved sessions file, empty when there is none.
  std::string SavedSessions() const {
    std::ifstream in(home_.path() + "/config/caucus/sessions");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

// Reads events until one starting with `prefix`; the others read on the
// way are returned in *before.
std::string EventAfter(Client& c, const std::string& prefix, std::vector<std::string>* before) {
  while (true) {
    auto line = c.ReadLine(std::chrono::seconds(20));
    if (!line) return {};
    if (line->rfind(prefix, 0) == 0) return *line;
    before->push_back(*line);
  }
}

// The seeds' scenario: a private chat, then the server's idle timeout. What
// the person types next (chat lines) must never reach the server as
// password guesses: with one wrong guess allowed, a single one would lock
// the account.
TEST_F(TerminalE2E, IdleLogoutNeverTakesAChatLineAsAPassword) {
  ServerProcess server({"--idle-timeout", "2", "--max-attempts", "1", "--block-duration", "600"});
  const std::string yoda = FreshName("yoda");
  Register(server, yoda);
  auto p = Person(server, yoda);
  const size_t out = p->WaitFor("the server logged you out after 2 seconds without a command");
  ASSERT_NE(out, std::string::npos) << p->output();
  ASSERT_NE(p->WaitFor("Nothing you type is sent until you log in again", out), std::string::npos);
  ASSERT_NE(p->WaitFor("Log in again as " + yoda + "? [y/n] ", out), std::string::npos)
      << p->output();
  // Chat, typed at the question: refused there, sent nowhere.
  p->Write("p luke are you there?\r");
  ASSERT_NE(p->WaitFor("Please answer y or n. Log in again as " + yoda + "? [y/n] ", out),
            std::string::npos)
      << p->output();
  p->Write("luke?\r");
  p->Write("y\r");
  const size_t asked = p->WaitFor("Password for " + yoda + ": ", out);
  ASSERT_NE(asked, std::string::npos) << p->output();
  p->Write(std::string(kPassword) + "\r");
  // Logged in with the first password typed: no chat line was a guess, or
  // the account would be locked now.
  ASSERT_NE(p->WaitFor("logged in as " + yoda, asked), std::string::npos) << p->output();
  EXPECT_EQ(p->output().find("wrong password"), std::string::npos) << p->output();
  EXPECT_EQ(p->output().find("locked"), std::string::npos) << p->output();
  p->Write("quit\r");
  EXPECT_EQ(p->Wait(), 0) << p->output();
}

// Declining to log in again leaves, and says nothing was sent.
TEST_F(TerminalE2E, AfterAnIdleLogoutNoLeaves) {
  ServerProcess server({"--idle-timeout", "1"});
  const std::string ann = FreshName("ann");
  Register(server, ann);
  auto p = Person(server, ann);
  ASSERT_SHOWS(*p, "Log in again as " + ann + "? [y/n] ");
  p->Write("n\r");
  EXPECT_EQ(p->Wait(), 0) << p->output();
}

// Writing in a private chat counts as activity: the server does not log
// the writer out as idle. The clock is another session's idle timeout:
// `idle` logs in after the chatters' last server command and before the
// line is written, so without the keepalive the writer would go offline
// first; the watcher, logged in after `idle`, sees them all go.
TEST_F(TerminalE2E, WritingInAPrivateChatKeepsTheSessionAlive) {
  ServerProcess server({"--idle-timeout", "3"});
  const std::string luke = FreshName("luke"), leia = FreshName("leia");
  Register(server, luke);
  Register(server, leia);
  ClientProcess a({"127.0.0.1", std::to_string(server.port()), "--user", luke},
                  Env({{"CAUCUS_PASSWORD", kPassword}}), false);
  ClientProcess b({"127.0.0.1", std::to_string(server.port()), "--user", leia},
                  Env({{"CAUCUS_PASSWORD", kPassword}}), false);
  ASSERT_SHOWS(a, "taking private chats");
  ASSERT_SHOWS(b, "taking private chats");
  a.Type("talk " + leia);
  ASSERT_SHOWS(b, "asks you for a private chat");
  b.Type("accept " + luke);  // by name, not by the invitation's id
  ASSERT_SHOWS(a, "private chat with " + leia + " open");
  ASSERT_SHOWS(b, "private chat with " + luke + " open");

  const std::string idle_name = FreshName("idle");
  auto idle = LoggedIn(server, idle_name);
  auto watcher = LoggedIn(server, FreshName("watcher"));
  a.Type("p " + leia + " still there?");
  ASSERT_SHOWS(b, "[private] " + luke + ": still there?");
  ASSERT_SHOWS(a, "[private] you to " + leia + ": still there?");
  std::vector<std::string> before(watcher->events().begin(), watcher->events().end());
  ASSERT_FALSE(EventAfter(*watcher, "PRESENCE " + idle_name + " offline", &before).empty());
  bool reader_went = false;
  for (const auto& e : before) {
    EXPECT_EQ(e.find("PRESENCE " + luke + " offline"), std::string::npos)
        << "the writer was logged out as idle: " << e;
    reader_went = reader_went || e.rfind("PRESENCE " + leia + " offline", 0) == 0;
  }
  EXPECT_EQ(a.output().find("logged you out"), std::string::npos) << a.output();
  // The reader, who wrote nothing, was logged out like anyone idle.
  EXPECT_TRUE(reader_went);
}

// Leaving the client ends the session: quit, EX, Ctrl-D and Ctrl-C on an
// empty line all log out and say so; the next start asks for a name.
TEST_F(TerminalE2E, LeavingLogsOut) {
  ServerProcess server;
  const std::string ravi = FreshName("ravi");
  Register(server, ravi);
  auto watcher = LoggedIn(server, FreshName("watcher"));
  const std::vector<std::string> ways = {"quit\r", "EX\r", "\x04", "ctrl-c"};
  for (const auto& way : ways) {
    auto p = Person(server, ravi);
    if (way == "ctrl-c") {
      p->Signal(SIGINT);
    } else {
      p->Write(way);
    }
    ASSERT_SHOWS(*p, "logged out");
    EXPECT_EQ(p->Wait(), 0) << p->output();
    watcher->WaitEvent("PRESENCE " + ravi + " offline");
    EXPECT_EQ(SavedSessions().find(ravi), std::string::npos) << "saved after " << way;
  }
  // Nothing to resume: the next person is asked who they are.
  ClientProcess next({"127.0.0.1", std::to_string(server.port())}, Env(), true);
  ASSERT_SHOWS(next, "Name: ");
  EXPECT_EQ(next.output().find(ravi), std::string::npos) << next.output();
}

// Staying signed in is asked for (detach); the next start says whose
// session it is and asks before continuing it. The voting menu never
// continues one, nor stays signed in.
TEST_F(TerminalE2E, DetachStaysSignedInAndTheNextStartSaysWhose) {
  ServerProcess server;
  const std::string ravi = FreshName("ravi");
  Register(server, ravi);
  const std::string port = std::to_string(server.port());
  {
    auto p = Person(server, ravi);
    p->Write("detach\r");
    ASSERT_SHOWS(*p, "left signed in as " + ravi);
    EXPECT_EQ(p->Wait(), 0) << p->output();
  }
  EXPECT_NE(SavedSessions().find(ravi), std::string::npos);
  {
    ClientProcess p({"127.0.0.1", port}, Env(), true);
    ASSERT_SHOWS(p, "a session of " + ravi + " is saved here");
    ASSERT_SHOWS(p, "Continue as " + ravi + "? [y/n] ");
    p.Write("n\r");
    ASSERT_SHOWS(p, "Name: ");
    p.Signal(SIGINT);
    EXPECT_EQ(p.Wait(), 0) << p.output();
  }
  {
    ClientProcess vote({"127.0.0.1", port, "--vote"}, Env(), true);
    ASSERT_SHOWS(vote, "Name: ");
    EXPECT_EQ(vote.output().find(ravi), std::string::npos) << vote.output();
    vote.Signal(SIGINT);
    EXPECT_EQ(vote.Wait(), 0) << vote.output();
  }
  ClientProcess both({"127.0.0.1", port, "--vote", "--stay-signed-in"}, Env(), false);
  EXPECT_EQ(both.Wait(), 2) << both.all();
  {
    ClientProcess p({"127.0.0.1", port}, Env(), true);
    ASSERT_SHOWS(p, "Continue as " + ravi + "? [y/n] ");
    p.Write("y\r");
    ASSERT_SHOWS(p, "resumed the session of " + ravi);
    ASSERT_SHOWS(p, ravi + "> ");
    p.Write("quit\r");
    ASSERT_SHOWS(p, "logged out");
    EXPECT_EQ(p.Wait(), 0) << p.output();
  }
  EXPECT_EQ(SavedSessions().find(ravi), std::string::npos) << SavedSessions();
}

// Ctrl-C with a half-typed line clears the line and nothing is sent; on an
// empty line it leaves.
TEST_F(TerminalE2E, CtrlCClearsAHalfTypedLine) {
  ServerProcess server;
  const std::string cara = FreshName("cara");
  Register(server, cara);
  auto bob = LoggedIn(server, FreshName("bob"));
  const std::string bob_name = Params(bob->Cmd("WHOAMI").final).at(2);
  auto p = Person(server, cara);
  p->Write("msg " + bob_name + " half a thought");
  ASSERT_SHOWS(*p, "half a thought");
  p->Signal(SIGINT);
  const size_t cleared = p->WaitCount(cara + "> ", 2, 20s);
  ASSERT_GE(cleared, 2u) << p->output();
  p->Write("msg " + bob_name + " whole\r");
  ASSERT_SHOWS(*p, "sent to " + bob_name);
  EXPECT_NE(bob->WaitEvent("MSG ").find(":whole"), std::string::npos);
  EXPECT_FALSE(bob->EventArrives("MSG "));
  p->Signal(SIGINT);
  ASSERT_SHOWS(*p, "logged out");
  EXPECT_EQ(p->Wait(), 0) << p->output();
}

// The seeds' PM (to everyone) and DM (to one), bare: they ask.
TEST_F(TerminalE2E, BarePmAndDmAsk) {
  ServerProcess server;
  const std::string jo = FreshName("jo");
  Register(server, jo);
  auto bob = LoggedIn(server, FreshName("bob"));
  const std::string bob_name = Params(bob->Cmd("WHOAMI").final).at(2);
  auto p = Person(server, jo);
  p->Write("PM\r");
  ASSERT_SHOWS(*p, "Message: ");
  p->Write("hello all\r");
  EXPECT_NE(bob->WaitEvent("MSG ").find(jo + " broadcast :hello all"), std::string::npos);
  p->Write("DM\r");
  ASSERT_SHOWS(*p, "  " + bob_name + "  online since");
  ASSERT_SHOWS(*p, "To: ");
  p->Write(bob_name + "\r");
  const size_t message = p->WaitCount("Message: ", 2, 20s);
  ASSERT_EQ(message, 2u) << p->output();
  p->Write("just you\r");
  EXPECT_NE(bob->WaitEvent("MSG ").find(jo + " dm :just you"), std::string::npos);
  p->Write("EX\r");
  ASSERT_SHOWS(*p, "logged out");
  EXPECT_EQ(p->Wait(), 0) << p->output();
}

// EDT and DLT with the post's time: a time that does not match refuses
// the change; the time is never written into the post.
TEST_F(TerminalE2E, EditAndDeleteWithThePostsTime) {
  ServerProcess server;
  const std::string ed = FreshName("ed");
  Register(server, ed);
  auto p = Script(server, ed,
                  "post first words\nread\nEDT 1 01:02:03 not this\nDLT 1 2020-01-01 00:00:00\n",
                  {"--keep-going"});
  EXPECT_EQ(p->Wait(), 1) << p->all();
  std::smatch m;
  const std::string out = p->output();
  ASSERT_TRUE(std::regex_search(out, m, std::regex("#1 \\[(\\d\\d:\\d\\d:\\d\\d)\\] ")))
      << out;  // read shows the post's time to the second
  const std::string time = m[1];
  EXPECT_NE(p->errors().find("post #1 was not posted or last edited at 01:02:03; nothing was "
                             "changed"),
            std::string::npos)
      << p->all();
  EXPECT_NE(p->errors().find("at 2020-01-01 00:00:00"), std::string::npos) << p->all();

  auto q = Script(server, ed, "EDT 1 " + time + " second words\nread\n");
  EXPECT_EQ(q->Wait(), 0) << q->all();
  EXPECT_NE(q->output().find(ed + ": second words"), std::string::npos) << q->all();
  EXPECT_EQ(q->output().find(time + " second words"), std::string::npos) << q->all();
  auto r = Script(server, ed, "DLT 1 " + time + "\nread\n");
  EXPECT_EQ(r->Wait(), 0) << r->all();
  EXPECT_NE(r->output().find("deleted #1"), std::string::npos) << r->all();
  EXPECT_NE(r->output().find("the board is empty"), std::string::npos) << r->all();
}

// The greeting is a sentence that says what the server allows; refusals
// name the rule.
TEST_F(TerminalE2E, TheRulesAreSaidUpFront) {
  {
    ServerProcess open({"--idle-timeout", "600"});
    ClientProcess p({"127.0.0.1", std::to_string(open.port())}, Env(), true);
    ASSERT_SHOWS(p, "Anyone can create an account here");
    ASSERT_SHOWS(p, "a password of at least 8 bytes of your choice");
    ASSERT_SHOWS(p, "Messages and posts are up to 4000 bytes.");
    ASSERT_SHOWS(p, "After 10 minutes without a command the server logs you out.");
    EXPECT_EQ(p.output().find("REGISTER <name>"), std::string::npos) << p.output();
    ASSERT_SHOWS(p, "Name: ");
    p.Write("jos\xc3\xa9\r");
    ASSERT_SHOWS(p, "'\xc3\xa9' is not ASCII");
    p.Write("short-pw-user\r");
    ASSERT_SHOWS(p, "Password for short-pw-user: ");
    p.Write("x\r");
    ASSERT_SHOWS(p, "Create it? [y/n] ");
    p.Write("y\r");
    ASSERT_SHOWS(p, "New password for short-pw-user: ");
    p.Write("short\r");
    ASSERT_SHOWS(p, "The same password again: ");
    p.Write("short\r");
    ASSERT_SHOWS(p, "that password is too short: this server wants at least 8 bytes");
    p.Signal(SIGINT);
    p.Wait();
  }
  {
    ServerProcess email({"--registration", "email", "--email-domain", "example\\.org"});
    ClientProcess p({"127.0.0.1", std::to_string(email.port())}, Env(), true);
    ASSERT_SHOWS(p, "with your e-mail address at example.org as its name");
    ASSERT_SHOWS(p, "Name: ");
    p.Write("dora\r");
    ASSERT_SHOWS(p, "Password for dora: ");
    p.Write("x\r");
    ASSERT_SHOWS(p, "Create it? [y/n] ");
    p.Write("y\r");
    ASSERT_SHOWS(p, "this server takes as names only e-mail addresses at example.org");
    ASSERT_SHOWS(p, "Your e-mail address: ");
    p.Write("dora@elsewhere.com\r");
    ASSERT_SHOWS(p, "'dora@elsewhere.com' is not at example.org");
    p.Signal(SIGINT);
    p.Wait();
  }
  {
    ServerProcess closed({"--registration", "closed"});
    ClientProcess p({"127.0.0.1", std::to_string(closed.port())}, Env(), true);
    ASSERT_SHOWS(p, "This server takes no new accounts");
    p.Signal(SIGINT);
    p.Wait();
  }
}

// HOST:PORT in one argument works; the HTTP port (the web page) is named
// as such instead of a long silence.
TEST_F(TerminalE2E, HostPortTogetherAndTheHttpPort) {
  ServerProcess server;
  const std::string hal = FreshName("hal");
  Register(server, hal);
  ClientProcess p({"127.0.0.1:" + std::to_string(server.port()), "--user", hal},
                  Env({{"CAUCUS_PASSWORD", kPassword}}), false);
  p.Type("who");
  p.CloseInput();
  EXPECT_EQ(p.Wait(), 0) << p.all();
  EXPECT_NE(p.output().find("nobody else is online"), std::string::npos) << p.all();

  ClientProcess twice({"127.0.0.1:" + std::to_string(server.port()), "5545"}, Env(), false);
  EXPECT_EQ(twice.Wait(), 2) << twice.all();
  EXPECT_NE(twice.errors().find("the port is given twice"), std::string::npos) << twice.all();

  ClientProcess web({"127.0.0.1:" + std::to_string(server.http_port()), "--user", hal},
                    Env({{"CAUCUS_PASSWORD", kPassword}}), false);
  web.CloseInput();
  EXPECT_EQ(web.Wait(), 1) << web.all();
  EXPECT_NE(web.errors().find("speaks HTTP, not the chat protocol"), std::string::npos)
      << web.all();
}

// Board changes others make show as they happen (WATCH board).
TEST_F(TerminalE2E, TheBoardIsLive) {
  ServerProcess server;
  const std::string reader = FreshName("reader");
  Register(server, reader);
  auto p = Person(server, reader);
  auto writer = LoggedIn(server, FreshName("writer"));
  const std::string writer_name = Params(writer->Cmd("WHOAMI").final).at(2);
  ASSERT_TRUE(writer->Cmd("POST :the projector is back").ok());
  ASSERT_SHOWS(*p, "* " + writer_name + " posted #1: the projector is back");
  ASSERT_TRUE(writer->Cmd("EDIT 1 :the projector is back in room 12").ok());
  ASSERT_SHOWS(*p, "* " + writer_name + " edited post #1: the projector is back in room 12");
  ASSERT_TRUE(writer->Cmd("DELETE 1").ok());
  ASSERT_SHOWS(*p, "* " + writer_name + " deleted post #1");
  p->Write("quit\r");
  EXPECT_EQ(p->Wait(), 0) << p->output();
}

// A poll that takes several choices offers them; a second vote is told
// before the choice is asked.
TEST_F(TerminalE2E, SeveralChoicesAndAlreadyVoted) {
  ServerProcess server;
  const std::string boss = FreshName("boss");
  std::string out;
  ASSERT_EQ(server.Cli({"users", "add", boss, "--admin"}, std::string(kPassword) + "\n", &out), 0)
      << out;
  Client admin("127.0.0.1", server.port());
  Reply login;
  for (int i = 0; i < 100; ++i) {  // the server learns of the account from its change feed
    login = admin.Cmd("LOGIN " + boss + " " + kPassword);
    if (login.code() != "NO_SUCH_USER") break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(login.ok()) << login.final;
  const Reply made = admin.Cmd("POLLNEW - +600 choices=2 :Which days?");
  ASSERT_TRUE(made.ok()) << made.final;
  const std::string id = made.params.at(2);
  for (const char* day : {"Monday", "Tuesday", "Friday"}) {
    ASSERT_TRUE(admin.Cmd("POLLOPTION " + id + " :" + day).ok());
  }
  ASSERT_TRUE(admin.Cmd("POLLOPEN " + id).ok());
  const std::string vera = FreshName("vera");
  Register(server, vera);
  auto p = Person(server, vera, {"--no-receipts"});
  p->Write("vote " + id + "\r");
  ASSERT_SHOWS(*p, "Your choices (up to 2 of 1-3, as 1,3; empty to cancel): ");
  p->Write("1,2,3\r");
  ASSERT_SHOWS(*p, "this poll takes at most 2 choices");
  p->Write("1,3\r");
  ASSERT_SHOWS(*p, "vote recorded; receipt ");
  p->Write("vote " + id + "\r");
  ASSERT_SHOWS(*p, "you have already voted in this poll");
  p->Write("quit\r");
  EXPECT_EQ(p->Wait(), 0) << p->output();
  EXPECT_EQ(p->output().find("Your choices", p->output().find("you have already voted")),
            std::string::npos)
      << p->output();
  const Reply results = admin.Cmd("RESULTS " + id);
  ASSERT_TRUE(results.ok()) << results.final;
  EXPECT_EQ(results.params.at(3), "1");  // one ballot, with two choices
}

}  // namespace
}  // namespace caucus::test
