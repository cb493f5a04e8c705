#include "client/present/formatter.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "client/link/session.h"

namespace caucus::client {
namespace {

constexpr int64_t kNow = 1795288080000;  // 2026-11-21T19:08:00Z

class FormatterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  // The reply the server's `lines` (no tags) make to `request`, as text.
  std::string Answer(const Request& request, const std::vector<std::string>& lines) {
    Session s;
    std::string out;
    const std::string tag = s.Submit(request, &out);
    Received r;
    for (const auto& l : lines) r = s.Receive("@" + tag + " " + l);
    EXPECT_EQ(r.kind, Received::Kind::kReply);
    return plain_.Reply(request, r.reply);
  }
  std::string Event(const std::string& line) {
    Session s;
    return plain_.Event(s.Receive(line).event);
  }
  Formatter plain_{Style(false), [] { return kNow; }};
};

TEST_F(FormatterTest, Events) {
  const std::pair<std::string, std::string> cases[] = {
      {"MSG 7 2026-11-21T19:05:00.000Z bob dm :hi there", "[19:05] bob -> you: hi there"},
      {"MSG 8 2026-11-21T19:06:00.000Z bob broadcast :hi all", "[19:06] bob -> everyone: hi all"},
      {"MSG 9 2026-11-20T19:06:00.000Z bob dm :old", "[Nov 20 19:06] bob -> you: old"},
      {"PRESENCE carol online 2026-11-21T19:07:00.000Z", "[19:07] * carol is online"},
      {"PRESENCE carol offline 2026-11-21T19:07:00.000Z", "[19:07] * carol went offline"},
      {"POLL p1 open 2026-11-21T19:00:00.000Z :Lunch?",
       "[19:00] * poll p1 is open: Lunch? (vote p1)"},
      {"POLL p1 closed 2026-11-21T19:05:00.000Z :Lunch?",
       "[19:05] * poll p1 closed: Lunch? (results p1)"},
      {"BYE IDLE_TIMEOUT :idle", "* disconnected: idle for too long: the server logged you out"},
      {"HELLO caucus/1 srv :Welcome", "connected to srv (caucus/1)"},
      {"POSTED 3 new 2026-11-21T19:07:05.120Z amy :lunch?", "[19:07:05] * amy posted #3: lunch?"},
      {"POSTED 3 edited 2026-11-21T19:08:00.000Z amy :lunch at one?",
       "[19:08:00] * amy edited post #3: lunch at one?"},
      {"POSTED 3 deleted 2026-11-20T19:09:00.000Z root",
       "[2026-11-20 19:09:00] * root deleted post #3"},
      {"INVITED i1 bob chat", "* INVITED i1 bob chat"},
  };
  for (const auto& [line, text] : cases) EXPECT_EQ(Event(line), text) << line;
}

TEST_F(FormatterTest, DirectMessagesAndBroadcastsLookDifferentInColour) {
  const Formatter color(Style(true), [] { return kNow; });
  Session s;
  const std::string dm = color.Event(s.Receive("MSG 7 2026-11-21T19:05:00.000Z bob dm :hi").event);
  const std::string all =
      color.Event(s.Receive("MSG 8 2026-11-21T19:05:00.000Z bob broadcast :hi").event);
  EXPECT_NE(dm.substr(0, 8), all.substr(0, 8));
  EXPECT_NE(dm.find("\033["), std::string::npos);
}

struct ReplyCase {
  Request request;
  std::vector<std::string> lines;
  std::string text;
};

TEST_F(FormatterTest, Replies) {
  const ReplyCase cases[] = {
      {{"WHO", {}, {}}, {"OK WHO 0"}, "nobody else is online"},
      {{"WHO", {"60"}, {}},
       {"USER bob 2026-11-21T19:00:00.000Z online p2p",
        "USER carolyn 2026-11-21T18:00:00.000Z offline", "OK WHO 2"},
       "  bob      online since 19:00, takes direct connections\n"
       "  carolyn  offline, last login 18:00"},
      {{"SEND", {"bob"}, "hi"}, {"OK SEND 3 2026-11-21T19:00:00.000Z delivered"}, "sent to bob"},
      {{"SEND", {"bob"}, "hi"},
       {"OK SEND 3 2026-11-21T19:00:00.000Z stored"},
       "bob is offline: the message waits for their next login"},
      {{"SEND", {"bob"}, "hi"},
       {"ERR SEND BLOCKED :blocked"},
       "error: that user has blocked you; nothing was sent"},
      {{"BROADCAST", {}, "hi"},
       {"OK BROADCAST 4 2026-11-21T19:00:00.000Z 2 1"},
       "sent to 2 people (1 person who blocked you did not get it)"},
      {{"BROADCAST", {}, "hi"},
       {"OK BROADCAST 4 2026-11-21T19:00:00.000Z 0 0"},
       "nobody received it"},
      {{"BLOCK", {"bob"}, {}},
       {"OK BLOCK Bob"},
       "blocked Bob: no messages from them, and they no longer see you"},
      {{"UNBLOCK", {"bob"}, {}}, {"OK UNBLOCK Bob"}, "unblocked Bob"},
      {{"BLOCKS", {}, {}}, {"OK BLOCKS 0"}, "you block nobody"},
      {{"BLOCKS", {}, {}}, {"BLOCKED bob", "BLOCKED carol", "OK BLOCKS 2"}, "you block: bob carol"},
      {{"HISTORY", {"bob", "-", "20"}, {}},
       {"DM 1 2026-11-21T19:00:00.000Z alice bob :hi",
        "DM 2 2026-11-21T19:01:00.000Z bob alice :yo", "OK HISTORY bob 2 1"},
       "[19:00] alice -> bob: hi\n[19:01] bob -> alice: yo"},
      {{"HISTORY", {"bob", "-", "20"}, {}}, {"OK HISTORY bob 0 -"}, "no direct messages with bob"},
      {{"POST", {}, "x"}, {"OK POST 7 2026-11-21T19:00:00.000Z"}, "posted #7"},
      {{"EDIT", {"7"}, "y"}, {"OK EDIT 7 2026-11-21T19:00:00.000Z"}, "edited #7"},
      {{"DELETE", {"7"}, {}}, {"OK DELETE 7"}, "deleted #7"},
      {{"DELETE", {"7"}, {}},
       {"ERR DELETE NOT_AUTHOR :no"},
       "error: only the post's author (or an admin) may do that"},
      {{"READ", {}, {}},
       {"BOARD 1 2026-11-21T18:00:00.000Z amy - :first",
        "BOARD 2 2026-11-21T18:30:00.000Z bob 2026-11-21T19:00:00.000Z :second", "OK READ 2"},
       "#1 [18:00:00] amy: first\n#2 [18:30:00] bob: second (edited [19:00:00])"},
      {{"READ", {}, {}},
       {"BOARD 1 2026-11-19T08:01:02.345Z amy - :older", "OK READ 1"},
       "#1 [2026-11-19 08:01:02] amy: older"},
      {{"READ", {}, {}}, {"OK READ 0"}, "the board is empty"},
      {{"READ", {"2026-11-21T18:00:00.000Z"}, {}}, {"OK READ 0"}, "no new or edited posts"},
      {{"POLLS", {}, {}},
       {"POLLINFO p1 open 2026-11-21T18:00:00.000Z 2026-11-21T20:00:00.000Z 1 :Lunch?",
        "POLLINFO p22 upcoming - - 0 :Later", "OK POLLS 2"},
       "  p1   Lunch? (open, closes 20:00, you voted)\n"
       "  p22  Later (upcoming, opens when an admin opens it)"},
      {{"POLLS", {}, {}}, {"OK POLLS 0"}, "no polls"},
      {{"POLLINFO", {"p1"}, {}},
       {"POLLINFO p1 closed 2026-11-21T18:00:00.000Z 2026-11-21T19:00:00.000Z 0 :Lunch?",
        "OPTION p1 1 :Pizza", "OPTION p1 2 :Sushi", "OK POLLINFO p1"},
       "Poll p1: Lunch? (closed 19:00)\n  1. Pizza\n  2. Sushi"},
      {{"RESULTS", {"p1"}, {}},
       {"TALLY p1 1 3 :Pizza", "TALLY p1 2 1 :Sushi", "OK RESULTS p1 4 10"},
       "Results of poll p1: 4 of 10 voters voted\n"
       "  1. Pizza  3    75%   ##############################\n"
       "  2. Sushi  1    25%   ##########"},
      {{"VOTE", {"p1", "2"}, {}},
       {"OK VOTE p1 R3c31pt"},
       "vote recorded; receipt R3c31pt (verify p1 R3c31pt checks it)"},
      {{"VERIFY", {"p1", "R3c31pt"}, {}},
       {"OK VERIFY p1 2"},
       "the ballot with that receipt counts for option 2 of poll p1"},
      {{"VERIFY", {"p1", "R"}, {}},
       {"OK VERIFY p1 1,3"},
       "the ballot with that receipt counts for options 1,3 of poll p1"},
      {{"PASSWORD", {"a"}, "b"}, {"OK PASSWORD"}, "password changed"},
      {{"PING", {}, {}}, {"OK PING x"}, "ok x"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Answer(c.request, c.lines), c.text) << ToLine(c.request) << " / " << c.lines.back();
  }
}

}  // namespace
}  // namespace caucus::client
