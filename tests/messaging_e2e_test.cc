// End to end: presence, direct messages, broadcasts, blocks and history
// (issue 3) against the real caucusd.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "harness.h"

namespace caucus::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kPassword = "password-123";

// Removes and returns the events starting with `prefix`, in arrival order.
std::vector<std::string> Take(Client& c, const std::string& prefix) {
  std::vector<std::string> out;
  auto& events = c.events();
  for (auto it = events.begin(); it != events.end();) {
    if (StartsWith(*it, prefix)) {
      out.push_back(*it);
      it = events.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

// Reads everything the server sent before the reply to a PING: an event
// sent before it is in events() afterwards.
void Sync(Client& c) {
  auto r = c.Cmd("PING");
  if (!r.ok()) throw std::runtime_error("PING: " + r.final);
}

// The LOGIN of a registered account on a new connection, then a PING, so
// that the stored messages delivered after OK LOGIN are in events().
std::unique_ptr<Client> LogIn(const ServerProcess& server, const std::string& name,
                              std::string* token = nullptr) {
  auto c = std::make_unique<Client>("127.0.0.1", server.port());
  for (int i = 0; i < 200; ++i) {
    auto r = c->Cmd("LOGIN " + name + " " + kPassword);
    if (r.ok()) {
      if (token) *token = r.params[3];
      Sync(*c);
      return c;
    }
    // The server notices a closed connection a moment after the close.
    if (r.code() != "ALREADY_ONLINE") throw std::runtime_error("LOGIN: " + r.final);
    std::this_thread::sleep_for(milliseconds(50));
  }
  throw std::runtime_error("still online: " + name);
}

// Logs out and waits for the close.
void LogOut(std::unique_ptr<Client>& c) {
  auto r = c->Cmd("LOGOUT");
  if (!r.ok()) throw std::runtime_error("LOGOUT: " + r.final);
  c->WaitClosed();
  c.reset();
}

struct Msg {
  std::string id, time, from, kind, text;
};

Msg ParseMsg(const std::string& line) {
  const auto p = Params(line);
  if (p.size() != 6 || p[0] != "MSG") throw std::runtime_error("not a MSG event: " + line);
  return {p[1], p[2], p[3], p[4], p[5]};
}

// `OK SEND <id> <time> delivered|stored`, checked; returns the id.
std::string Sent(const Reply& r, const std::string& how) {
  if (!r.ok() || r.params.size() != 5 || r.params[1] != "SEND" || r.params[4] != how) {
    ADD_FAILURE() << "expected OK SEND <id> <time> " << how << ", got " << r.final;
    return "";
  }
  return r.params[2];
}

bool IsWireTime(const std::string& t) {
  // 2026-11-21T19:08:00.123Z
  if (t.size() != 24) return false;
  const std::string shape = "dddd-dd-ddTdd:dd:dd.dddZ";
  for (size_t i = 0; i < t.size(); ++i) {
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(t[i])) : t[i] != shape[i]) {
      return false;
    }
  }
  return true;
}

// The USER lines of a WHO reply, by name.
std::map<std::string, std::vector<std::string>> Users(const Reply& r) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& line : r.data) {
    const auto p = Params(line);
    if (p.size() >= 4 && p[0] == "USER") out[p[1]] = p;
  }
  return out;
}

// One server for the tests that need no options of their own.
class MessagingE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess({"--max-connections-per-ip", "0"}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
};

ServerProcess* MessagingE2E::server_ = nullptr;

TEST_F(MessagingE2E, LiveDirectMessageArrivesAsMsgEvent) {
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  auto a = LoggedIn(*server_, a_name);
  auto b = LoggedIn(*server_, b_name);
  const std::string text = ":-) a text with  two spaces";
  auto r = a->Cmd("SEND " + b_name + " :" + text);
  const std::string id = Sent(r, "delivered");
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(IsWireTime(r.params[3])) << r.params[3];
  const Msg m = ParseMsg(b->WaitEvent("MSG "));
  EXPECT_EQ(m.id, id);
  EXPECT_EQ(m.time, r.params[3]);
  EXPECT_EQ(m.from, a_name);
  EXPECT_EQ(m.kind, "dm");
  EXPECT_EQ(m.text, text);
  // Tagged, and to a name in another case.
  std::string upper = b_name;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  a->Send("@t1 SEND " + upper + " :second");
  std::optional<std::string> line;
  do {
    line = a->ReadLine();
    ASSERT_TRUE(line);
  } while (StartsWith(*line, "PRESENCE "));
  EXPECT_TRUE(StartsWith(*line, "@t1 OK SEND ")) << *line;
  EXPECT_EQ(ParseMsg(b->WaitEvent("MSG ")).text, "second");
  // The sender gets nothing of its own message.
  Sync(*a);
  EXPECT_TRUE(Take(*a, "MSG ").empty());
}

TEST_F(MessagingE2E, SendErrors) {
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  auto a = LoggedIn(*server_, a_name);
  auto b = LoggedIn(*server_, b_name);
  EXPECT_EQ(a->Cmd("SEND " + FreshName("nobody") + " :hi").code(), "NO_SUCH_USER");
  EXPECT_EQ(a->Cmd("SEND " + a_name + " :hi").code(), "SELF");
  EXPECT_EQ(a->Cmd("SEND " + b_name + " :" + std::string(4001, 'x')).code(), "TOO_LONG");
  EXPECT_TRUE(a->Cmd("SEND " + b_name + " :" + std::string(4000, 'x')).ok());
  EXPECT_EQ(a->Cmd("SEND " + b_name + " :").code(), "BAD_ARGUMENTS");
  EXPECT_EQ(a->Cmd("SEND " + b_name).code(), "BAD_ARGUMENTS");
  EXPECT_EQ(a->Cmd("BROADCAST :" + std::string(4001, 'x')).code(), "TOO_LONG");
  EXPECT_EQ(a->Cmd("BROADCAST :").code(), "BAD_ARGUMENTS");
  ASSERT_EQ(b->Cmd("BLOCK " + a_name).final, "OK BLOCK " + a_name);
  // A block takes effect at once for live delivery.
  EXPECT_EQ(a->Cmd("SEND " + b_name + " :blocked").code(), "BLOCKED");
  Sync(*b);
  const auto msgs = Take(*b, "MSG ");
  ASSERT_EQ(msgs.size(), 1u);  // the 4000-byte one, before the block
  EXPECT_EQ(ParseMsg(msgs[0]).text.size(), 4000u);
}

TEST_F(MessagingE2E, OfflineMessagesArriveOldestFirstExactlyOnce) {
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  Register(*server_, b_name);
  auto a = LoggedIn(*server_, a_name);
  std::vector<std::string> ids;
  for (int i = 1; i <= 3; ++i) {
    ids.push_back(Sent(a->Cmd("SEND " + b_name + " :stored " + std::to_string(i)), "stored"));
  }
  auto b = LogIn(*server_, b_name);
  auto msgs = Take(*b, "MSG ");
  ASSERT_EQ(msgs.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const Msg m = ParseMsg(msgs[i]);
    EXPECT_EQ(m.id, ids[i]);
    EXPECT_EQ(m.from, a_name);
    EXPECT_EQ(m.kind, "dm");
    EXPECT_EQ(m.text, "stored " + std::to_string(i + 1));
  }
  // Once delivered, gone from the queue: not again after LOGOUT and LOGIN,
  // nor after a drop and RESUME.
  LogOut(b);
  std::string token;
  b = LogIn(*server_, b_name, &token);
  EXPECT_TRUE(Take(*b, "MSG ").empty());
  b->Close();
  b = std::make_unique<Client>("127.0.0.1", server_->port());
  Reply r;
  for (int i = 0; i < 200; ++i) {
    r = b->Cmd("RESUME " + token);
    if (r.code() != "ALREADY_ONLINE") break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_TRUE(r.ok()) << r.final;
  Sync(*b);
  EXPECT_TRUE(Take(*b, "MSG ").empty());
}

TEST_F(MessagingE2E, StoredMessagesAreDeliveredAfterResume) {
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  std::string token;
  LoggedIn(*server_, b_name, kPassword, &token)->Close();
  auto a = LoggedIn(*server_, a_name);
  // Stored once the server has seen B's connection go.
  Reply r;
  for (int i = 0; i < 200; ++i) {
    r = a->Cmd("SEND " + b_name + " :while away");
    if (r.ok() && r.params[4] == "stored") break;
    Take(*a, "PRESENCE ");
    std::this_thread::sleep_for(milliseconds(50));
  }
  const std::string id = Sent(r, "stored");
  Client b("127.0.0.1", server_->port());
  ASSERT_EQ(b.Cmd("RESUME " + token).final, "OK RESUME " + b_name);
  Sync(b);
  const auto msgs = Take(b, "MSG ");
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(ParseMsg(msgs[0]).id, id);
  EXPECT_EQ(ParseMsg(msgs[0]).text, "while away");
}

// Stores two messages for B, stops the server (SIGTERM, or SIGKILL right
// after the OK SEND ... stored), starts it again, and has B log in.
void OfflineDeliveryAcross(bool kill9) {
  ServerProcess server;
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  Register(server, b_name);
  std::vector<std::string> ids;
  {
    auto a = LoggedIn(server, a_name);
    ids.push_back(Sent(a->Cmd("SEND " + b_name + " :first"), "stored"));
    ids.push_back(Sent(a->Cmd("SEND " + b_name + " :second"), "stored"));
  }
  if (kill9) {
    server.Kill9();
  } else {
    ASSERT_EQ(server.Stop(SIGTERM), 0);
  }
  server.Start();
  auto b = LogIn(server, b_name);
  const auto msgs = Take(*b, "MSG ");
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(ParseMsg(msgs[0]).id, ids[0]);
  EXPECT_EQ(ParseMsg(msgs[0]).text, "first");
  EXPECT_EQ(ParseMsg(msgs[0]).from, a_name);
  EXPECT_EQ(ParseMsg(msgs[1]).id, ids[1]);
  EXPECT_EQ(ParseMsg(msgs[1]).text, "second");
  LogOut(b);
  b = LogIn(server, b_name);
  EXPECT_TRUE(Take(*b, "MSG ").empty());
}

TEST(MessagingRestartE2E, OfflineDeliveryAcrossARestart) { OfflineDeliveryAcross(false); }

TEST(MessagingRestartE2E, OfflineDeliveryAcrossKill9AfterStored) { OfflineDeliveryAcross(true); }

TEST_F(MessagingE2E, BlockedSendIsNotStored) {
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  auto a = LoggedIn(*server_, a_name);
  auto b = LoggedIn(*server_, b_name);
  ASSERT_TRUE(b->Cmd("BLOCK " + a_name).ok());
  LogOut(b);
  EXPECT_EQ(a->Cmd("SEND " + b_name + " :while blocked").code(), "BLOCKED");
  b = LogIn(*server_, b_name);
  ASSERT_TRUE(b->Cmd("UNBLOCK " + a_name).ok());
  LogOut(b);
  b = LogIn(*server_, b_name);
  EXPECT_TRUE(Take(*b, "MSG ").empty()) << "a refused message was stored";
  Sync(*a);
  EXPECT_TRUE(Take(*a, "MSG ").empty());
}

TEST_F(MessagingE2E, BlockUnblockAndBlocks) {
  const std::string me = FreshName("me");
  const std::string x = FreshName("x");
  const std::string y = FreshName("y");
  Register(*server_, y);
  auto xc = LoggedIn(*server_, x);
  auto c = LoggedIn(*server_, me);
  EXPECT_EQ(c->Cmd("BLOCKS").final, "OK BLOCKS 0");
  EXPECT_EQ(c->Cmd("BLOCK " + FreshName("nobody")).code(), "NO_SUCH_USER");
  EXPECT_EQ(c->Cmd("BLOCK " + me).code(), "SELF");
  EXPECT_EQ(c->Cmd("BLOCK " + x).final, "OK BLOCK " + x);
  EXPECT_EQ(c->Cmd("BLOCK " + x).code(), "ALREADY_BLOCKED");
  EXPECT_EQ(c->Cmd("BLOCK " + y).final, "OK BLOCK " + y);
  auto r = c->Cmd("BLOCKS");
  EXPECT_EQ(r.final, "OK BLOCKS 2");
  EXPECT_EQ(std::set<std::string>(r.data.begin(), r.data.end()),
            (std::set<std::string>{"BLOCKED " + x, "BLOCKED " + y}));
  EXPECT_EQ(c->Cmd("UNBLOCK " + FreshName("nobody")).code(), "NO_SUCH_USER");
  EXPECT_EQ(c->Cmd("UNBLOCK " + y).final, "OK UNBLOCK " + y);
  EXPECT_EQ(c->Cmd("UNBLOCK " + y).code(), "NOT_BLOCKED");
  r = c->Cmd("BLOCKS");
  EXPECT_EQ(r.final, "OK BLOCKS 1");
  EXPECT_EQ(r.data, std::vector<std::string>{"BLOCKED " + x});
  // The blocked user is not told, except through BLOCKED on SEND.
  Sync(*xc);
  for (const auto& e : xc->events()) EXPECT_FALSE(StartsWith(e, "MSG ")) << e;
  EXPECT_EQ(xc->Cmd("SEND " + me + " :hello?").code(), "BLOCKED");
  // Blocking is one way: the blocker can still write to the blocked user.
  EXPECT_FALSE(Sent(c->Cmd("SEND " + x + " :one way"), "delivered").empty());
}

TEST(MessagingRestartE2E, BlocksSurviveARestart) {
  ServerProcess server;
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  Register(server, b_name);
  {
    auto a = LoggedIn(server, a_name);
    ASSERT_TRUE(a->Cmd("BLOCK " + b_name).ok());
  }
  ASSERT_EQ(server.Stop(SIGTERM), 0);
  server.Start();
  auto b = LogIn(server, b_name);
  auto a = LogIn(server, a_name);
  EXPECT_EQ(a->Cmd("BLOCKS").data, std::vector<std::string>{"BLOCKED " + b_name});
  EXPECT_EQ(b->Cmd("SEND " + a_name + " :after restart").code(), "BLOCKED");
  // Nor presence, lists or broadcasts.
  Sync(*b);
  EXPECT_TRUE(Take(*b, "PRESENCE " + a_name + " ").empty());
  EXPECT_EQ(Users(b->Cmd("WHO")).count(a_name), 0u);
  auto r = b->Cmd("BROADCAST :anyone?");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(r.params[4], "0");
  EXPECT_EQ(r.params[5], "1");
}

TEST_F(MessagingE2E, PresenceOnLoginLogoutAndDrop) {
  const std::string u_name = FreshName("u");
  auto w = LoggedIn(*server_, FreshName("w"));
  std::string token;
  auto u = LoggedIn(*server_, u_name, kPassword, &token);
  auto online = Params(w->WaitEvent("PRESENCE " + u_name + " "));
  ASSERT_EQ(online.size(), 4u);
  EXPECT_EQ(online[2], "online");
  EXPECT_TRUE(IsWireTime(online[3])) << online[3];
  // WHO shows the time of that login.
  auto who = Users(w->Cmd("WHO"));
  ASSERT_EQ(who.count(u_name), 1u);
  EXPECT_EQ(who[u_name][2], online[3]);
  EXPECT_EQ(who[u_name][3], "online");
  // No event to the user about themself.
  Sync(*u);
  EXPECT_TRUE(Take(*u, "PRESENCE " + u_name + " ").empty());

  LogOut(u);
  auto offline = Params(w->WaitEvent("PRESENCE " + u_name + " "));
  ASSERT_EQ(offline.size(), 4u);
  EXPECT_EQ(offline[2], "offline");
  EXPECT_TRUE(IsWireTime(offline[3]));

  u = LogIn(*server_, u_name);
  EXPECT_EQ(Params(w->WaitEvent("PRESENCE " + u_name + " "))[2], "online");
  u->Close();  // a lost connection
  EXPECT_EQ(Params(w->WaitEvent("PRESENCE " + u_name + " "))[2], "offline");
}

// The server stops reading a plain socket after a short read and waits for
// the next edge: a command that arrives together with the close must still
// be answered, and the close still seen at once.
TEST_F(MessagingE2E, ACommandSentWithTheCloseIsDeliveredAndTheSessionEndsAtOnce) {
  const std::string u_name = FreshName("u");
  const std::string w_name = FreshName("w");
  auto w = LoggedIn(*server_, w_name);
  Register(*server_, u_name);
  for (int round = 0; round < 20; ++round) {
    auto u = LogIn(*server_, u_name);
    w->WaitEvent("PRESENCE " + u_name + " online");
    const std::string text = "last words " + std::to_string(round);
    if (round % 2 == 0) {
      // Half-closed: the reply still comes, then the server closes.
      u->SendRaw("SEND " + w_name + " :" + text + "\n");
      u->ShutdownWrite();
      const auto lines = u->WaitClosed(seconds(5));
      bool answered = false;
      for (const auto& l : lines) answered = answered || StartsWith(l, "OK SEND ");
      EXPECT_TRUE(answered) << round;
    } else {
      u->SendRaw("SEND " + w_name + " :" + text + "\n");
      u->Close();  // the line and the FIN leave together
    }
    EXPECT_EQ(Params(w->WaitEvent("MSG ")).back(), text) << round;
    // Well within the idle timeout: the end of the stream was seen.
    EXPECT_EQ(Params(w->WaitEvent("PRESENCE " + u_name + " ", seconds(5)))[2], "offline") << round;
  }
}

TEST_F(MessagingE2E, PresenceIsNotSentToUsersTheSubjectBlocked) {
  const std::string u_name = FreshName("u");
  const std::string blocked_name = FreshName("blk");
  const std::string blocker_name = FreshName("blker");
  auto blocked = LoggedIn(*server_, blocked_name);
  auto blocker = LoggedIn(*server_, blocker_name);
  auto u = LoggedIn(*server_, u_name);
  auto w = LoggedIn(*server_, FreshName("w"));
  ASSERT_TRUE(u->Cmd("BLOCK " + blocked_name).ok());
  ASSERT_TRUE(blocker->Cmd("BLOCK " + u_name).ok());
  Sync(*blocked);
  Take(*blocked, "PRESENCE ");
  Sync(*blocker);
  Take(*blocker, "PRESENCE ");

  LogOut(u);
  w->WaitEvent("PRESENCE " + u_name + " offline");
  u = LogIn(*server_, u_name);
  w->WaitEvent("PRESENCE " + u_name + " online");
  // Every event of the logout and login was sent before the PING's reply.
  Sync(*blocked);
  EXPECT_TRUE(Take(*blocked, "PRESENCE " + u_name + " ").empty())
      << "presence went to a user the subject blocked";
  // The rule looks at the subject's blocks only: a user who blocked the
  // subject still sees it come and go.
  Sync(*blocker);
  EXPECT_EQ(Take(*blocker, "PRESENCE " + u_name + " ").size(), 2u);
  // Nor does the blocked user see the subject in WHO.
  EXPECT_EQ(Users(blocked->Cmd("WHO 3600")).count(u_name), 0u);
  EXPECT_EQ(Users(w->Cmd("WHO")).count(u_name), 1u);
}

TEST(PresenceIdleE2E, IdleTimeoutSendsOffline) {
  ServerProcess server({"--idle-timeout", "2"});
  const std::string u_name = FreshName("u");
  auto w = LoggedIn(server, FreshName("w"));
  // The watcher keeps busy while u logs in (its password hash may take
  // longer than the timeout on a loaded machine).
  std::atomic<bool> in{false};
  std::thread busy([&] {
    while (!in) {
      w->Cmd("WHO");
      std::this_thread::sleep_for(milliseconds(200));
    }
  });
  auto u = LoggedIn(server, u_name);
  in = true;
  busy.join();
  w->WaitEvent("PRESENCE " + u_name + " online");
  // The watcher keeps busy with WHO (PING would not keep it alive).
  bool offline = false;
  for (int i = 0; i < 100 && !offline; ++i) {
    ASSERT_TRUE(w->Cmd("WHO").ok());
    offline = !Take(*w, "PRESENCE " + u_name + " offline").empty();
    if (!offline) std::this_thread::sleep_for(milliseconds(200));
  }
  EXPECT_TRUE(offline);
  const auto rest = u->WaitClosed();
  ASSERT_FALSE(rest.empty());
  EXPECT_TRUE(StartsWith(rest.back(), "BYE IDLE_TIMEOUT")) << rest.back();
}

TEST_F(MessagingE2E, WhoListsOnlineUsersAndWithSecondsRecentOnes) {
  const std::string on_name = FreshName("on");
  const std::string gone_name = FreshName("gone");
  auto w = LoggedIn(*server_, FreshName("w"));
  auto on = LoggedIn(*server_, on_name);
  {
    auto gone = LoggedIn(*server_, gone_name);
    LogOut(gone);
  }
  w->WaitEvent("PRESENCE " + gone_name + " offline");
  Reply r = w->Cmd("WHO");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(r.final, "OK WHO " + std::to_string(r.data.size()));
  auto users = Users(r);
  EXPECT_EQ(users.count(on_name), 1u);
  EXPECT_EQ(users.count(gone_name), 0u);
  for (const auto& [name, p] : users) EXPECT_EQ(p[3], "online") << name;

  r = w->Cmd("WHO 3600");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(r.final, "OK WHO " + std::to_string(r.data.size()));
  users = Users(r);
  ASSERT_EQ(users.count(gone_name), 1u);
  EXPECT_EQ(users[gone_name][3], "offline");
  EXPECT_TRUE(IsWireTime(users[gone_name][2]));
  EXPECT_EQ(users[on_name][3], "online");
  EXPECT_EQ(users.count(FreshName("never")), 0u);

  EXPECT_EQ(w->Cmd("WHO soon").code(), "BAD_ARGUMENTS");
  EXPECT_EQ(w->Cmd("WHO -5").code(), "BAD_ARGUMENTS");

  // Once the login is more than a second old, WHO 1 leaves it out.
  AfterTime(users[gone_name][2], std::chrono::seconds(1));
  users = Users(w->Cmd("WHO 1"));
  EXPECT_EQ(users.count(gone_name), 0u);
  EXPECT_EQ(users.count(on_name), 1u);
}

TEST(BroadcastE2E, CountsDeliveredAndWithheldWithOneBlockingRecipient) {
  ServerProcess server;
  const std::string s_name = FreshName("s");
  const std::string offline_name = FreshName("off");
  Register(server, offline_name);
  auto s = LoggedIn(server, s_name);
  auto r1 = LoggedIn(server, FreshName("r"));
  auto r2 = LoggedIn(server, FreshName("r"));
  auto r3 = LoggedIn(server, FreshName("r"));
  ASSERT_TRUE(r3->Cmd("BLOCK " + s_name).ok());
  auto r = s->Cmd("BROADCAST :to all of you");
  ASSERT_TRUE(r.ok()) << r.final;
  ASSERT_EQ(r.params.size(), 6u) << r.final;
  EXPECT_EQ(r.params[4], "2") << "delivered";
  EXPECT_EQ(r.params[5], "1") << "withheld";
  for (auto* c : {r1.get(), r2.get()}) {
    const Msg m = ParseMsg(c->WaitEvent("MSG "));
    EXPECT_EQ(m.id, r.params[2]);
    EXPECT_EQ(m.time, r.params[3]);
    EXPECT_EQ(m.from, s_name);
    EXPECT_EQ(m.kind, "broadcast");
    EXPECT_EQ(m.text, "to all of you");
  }
  Sync(*r3);
  EXPECT_TRUE(Take(*r3, "MSG ").empty());
  Sync(*s);
  EXPECT_TRUE(Take(*s, "MSG ").empty()) << "the sender got its own broadcast";
  // Not stored for offline users.
  auto off = LogIn(server, offline_name);
  EXPECT_TRUE(Take(*off, "MSG ").empty());
  // The counts are of users, and the newcomer is one more.
  r = s->Cmd("BROADCAST :again");
  EXPECT_EQ(r.params.at(4), "3");
  EXPECT_EQ(r.params.at(5), "1");
}

TEST(BroadcastE2E, TwoHundredClientsEachGetEveryMessageExactlyOnce) {
  constexpr int kClients = 200;
  constexpr int kSenders = 5;
  constexpr int kMessages = 4;
  // The clients come from eight loopback addresses, so that no limit per
  // address (connections, new connections, registrations) gets in the way.
  constexpr int kAddresses = 8;
  ServerProcess server({"--max-connections-per-ip", "0", "--handshake-timeout", "0"});
  const std::string prefix = FreshName("m");
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::string> names;
  for (int i = 0; i < kClients; ++i) {
    names.push_back(prefix + "_" + std::to_string(i));
    const std::string source = "127.0.0." + std::to_string(1 + i % kAddresses);
    clients.push_back(std::make_unique<Client>("127.0.0.1", server.port(), source));
    ASSERT_EQ(clients.back()->hello().rfind("HELLO ", 0), 0u)
        << i << ": " << clients.back()->hello();
  }
  // Pipelined, so that the server hashes on all its workers at once.
  for (int i = 0; i < kClients; ++i) clients[i]->Send("REGISTER " + names[i] + " " + kPassword);
  for (int i = 0; i < kClients; ++i) ASSERT_TRUE(clients[i]->ReadReply(seconds(120)).ok());
  for (int i = 0; i < kClients; ++i) clients[i]->Send("LOGIN " + names[i] + " " + kPassword);
  for (int i = 0; i < kClients; ++i) ASSERT_TRUE(clients[i]->ReadReply(seconds(120)).ok());

  std::map<std::string, std::pair<int, std::string>> sent;  // id -> sender, text
  for (int m = 0; m < kMessages; ++m) {
    for (int s = 0; s < kSenders; ++s) {
      clients[s]->Send("BROADCAST :from " + std::to_string(s) + " number " + std::to_string(m));
    }
    for (int s = 0; s < kSenders; ++s) {
      auto r = clients[s]->ReadReply();
      ASSERT_TRUE(r.ok()) << r.final;
      ASSERT_EQ(r.params.size(), 6u) << r.final;
      EXPECT_EQ(r.params[4], std::to_string(kClients - 1));
      EXPECT_EQ(r.params[5], "0");
      sent[r.params[2]] = {s, "from " + std::to_string(s) + " number " + std::to_string(m)};
    }
  }
  ASSERT_EQ(sent.size(), static_cast<size_t>(kSenders * kMessages)) << "ids are not unique";
  for (int i = 0; i < kClients; ++i) {
    const size_t expected = kSenders * kMessages - (i < kSenders ? kMessages : 0);
    std::set<std::string> got;
    while (got.size() < expected) {
      const Msg m = ParseMsg(clients[i]->WaitEvent("MSG "));
      auto it = sent.find(m.id);
      ASSERT_NE(it, sent.end()) << "client " << i << ": unknown id " << m.id;
      EXPECT_NE(it->second.first, i) << "client " << i << " got its own broadcast";
      EXPECT_EQ(m.from, names[it->second.first]);
      EXPECT_EQ(m.kind, "broadcast");
      EXPECT_EQ(m.text, it->second.second);
      EXPECT_TRUE(got.insert(m.id).second) << "client " << i << " got " << m.id << " twice";
    }
    // Anything more would have come before the PING's reply.
    Sync(*clients[i]);
    EXPECT_TRUE(Take(*clients[i], "MSG ").empty()) << "client " << i << " got more";
  }
}

TEST_F(MessagingE2E, HistoryPagesBackThroughTheConversation) {
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  auto a = LoggedIn(*server_, a_name);
  auto b = LoggedIn(*server_, b_name);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto& from = i % 2 == 0 ? a : b;
    const std::string to = i % 2 == 0 ? b_name : a_name;
    ids.push_back(Sent(from->Cmd("SEND " + to + " :line " + std::to_string(i)), "delivered"));
  }
  // Someone else's messages are not in it.
  auto c = LoggedIn(*server_, FreshName("c"));
  ASSERT_TRUE(c->Cmd("SEND " + a_name + " :not in a-b").ok());

  auto r = a->Cmd("HISTORY " + b_name + " - 2");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(r.final, "OK HISTORY " + b_name + " 2 " + ids[3]);
  ASSERT_EQ(r.data.size(), 2u);
  auto p = Params(r.data[0]);
  ASSERT_EQ(p.size(), 6u) << r.data[0];
  EXPECT_EQ(p[0], "DM");
  EXPECT_EQ(p[1], ids[3]);
  EXPECT_TRUE(IsWireTime(p[2]));
  EXPECT_EQ(p[3], b_name);
  EXPECT_EQ(p[4], a_name);
  EXPECT_EQ(p[5], "line 3");
  EXPECT_EQ(Params(r.data[1])[1], ids[4]);
  EXPECT_EQ(Params(r.data[1])[3], a_name);

  r = a->Cmd("HISTORY " + b_name + " " + ids[3] + " 2");
  EXPECT_EQ(r.final, "OK HISTORY " + b_name + " 2 " + ids[1]);
  ASSERT_EQ(r.data.size(), 2u);
  EXPECT_EQ(Params(r.data[0])[5], "line 1");
  EXPECT_EQ(Params(r.data[1])[5], "line 2");
  r = a->Cmd("HISTORY " + b_name + " " + ids[1] + " 2");
  EXPECT_EQ(r.final, "OK HISTORY " + b_name + " 1 " + ids[0]);
  r = a->Cmd("HISTORY " + b_name + " " + ids[0] + " 2");
  EXPECT_EQ(r.final, "OK HISTORY " + b_name + " 0 -");
  EXPECT_TRUE(r.data.empty());
  // The other side sees the same conversation; all of it without a limit.
  r = b->Cmd("HISTORY " + a_name);
  ASSERT_EQ(r.data.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Params(r.data[i])[1], ids[i]);

  EXPECT_EQ(a->Cmd("HISTORY " + FreshName("nobody")).code(), "NO_SUCH_USER");
  EXPECT_EQ(a->Cmd("HISTORY " + b_name + " x").code(), "BAD_ARGUMENTS");
  EXPECT_EQ(a->Cmd("HISTORY " + b_name + " - 0").code(), "BAD_ARGUMENTS");
}

TEST_F(MessagingE2E, HistoryPageSizeIsCapped) {
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  Register(*server_, b_name);
  auto a = LoggedIn(*server_, a_name);
  for (int i = 0; i < 105; ++i) a->Send("SEND " + b_name + " :n" + std::to_string(i));
  for (int i = 0; i < 105; ++i) ASSERT_TRUE(a->ReadReply().ok());
  auto r = a->Cmd("HISTORY " + b_name + " - 1000");
  ASSERT_TRUE(r.ok()) << r.final;
  EXPECT_EQ(r.data.size(), 100u);
  ASSERT_FALSE(r.data.empty());
  EXPECT_EQ(Params(r.data.back())[5], "n104");
  EXPECT_EQ(Params(r.data.front())[5], "n5");
  EXPECT_EQ(a->Cmd("HISTORY " + b_name).data.size(), 50u);
}

TEST_F(MessagingE2E, OperatorCanReadTheMessageLog) {
  const std::string a_name = FreshName("a");
  const std::string b_name = FreshName("b");
  Register(*server_, b_name);
  auto a = LoggedIn(*server_, a_name);
  ASSERT_TRUE(a->Cmd("SEND " + b_name + " :for the log " + a_name).ok());
  ASSERT_TRUE(a->Cmd("BROADCAST :broadcast for the log " + a_name).ok());
  std::string out;
  ASSERT_EQ(server_->Cli({"log", "messages", "--since", "2000-01-01T00:00:00Z"}, "", &out), 0)
      << out;
  EXPECT_NE(out.find("for the log " + a_name), std::string::npos) << out;
  EXPECT_NE(out.find("broadcast for the log " + a_name), std::string::npos) << out;
}

}  // namespace
}  // namespace caucus::test
