#include "client/commands/command_line.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <tuple>
#include <vector>

namespace caucus::client {
namespace {

constexpr int64_t kNow = 1795288080000;  // 2026-11-21T19:08:00Z

class CommandLineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
};

// What a typed line becomes: the protocol line, or (when `error` is not
// empty) an error that contains it.
struct Case {
  std::string typed;
  std::string line;
  std::string error;
};

// Every command and alias that is one request.
const Case kRequests[] = {
    {"who", "WHO", ""},
    {"who 600", "WHO 600", ""},
    {"whoelse", "WHO", ""},
    {"whoelsesince 60", "WHO 60", ""},
    {"ATU", "WHO", ""},
    {"WHO", "WHO", ""},
    {"who soon", "", "SECONDS must be a positive whole number"},
    {"who 1 2", "", "usage: who [SECONDS]"},
    {"msg bob hello there", "SEND bob :hello there", ""},
    {"msg   bob    two  spaces kept ", "SEND bob :two  spaces kept ", ""},
    {"message bob hi", "SEND bob :hi", ""},
    {"PM bob is late", "BROADCAST :bob is late", ""},
    {"DM bob hi", "SEND bob :hi", ""},
    {"msg bob", "", "usage: msg USER TEXT"},
    {"msg b!b hi", "", "'b!b' is not a user name"},
    {"all hello everyone", "BROADCAST :hello everyone", ""},
    {"broadcast :-)", "BROADCAST ::-)", ""},
    {"all", "", "usage: all TEXT"},
    {"block bob", "BLOCK bob", ""},
    {"unblock bob", "UNBLOCK bob", ""},
    {"block", "", "usage: block USER"},
    {"block bob carol", "", "usage: block USER"},
    {"blocks", "BLOCKS", ""},
    {"history bob", "HISTORY bob - 20", ""},
    {"history bob 5", "HISTORY bob - 5", ""},
    {"history bob 0", "", "COUNT must be a positive whole number"},
    {"post Hello board", "POST :Hello board", ""},
    {"MSG Hello board", "POST :Hello board", ""},
    {"edit 3 new words", "EDIT 3 :new words", ""},
    {"EDT 3 new words", "EDIT 3 :new words", ""},
    {"edit x new", "", "N must be a positive whole number"},
    {"edit 3", "", "usage: edit N [TIME] TEXT"},
    {"delete 3", "DELETE 3", ""},
    {"DLT 3", "DELETE 3", ""},
    {"delete 0", "", "N must be a positive whole number"},
    {"read", "READ", ""},
    {"RDM", "READ", ""},
    {"read 10m", "READ 2026-11-21T18:58:00.000Z", ""},
    {"RDM 2h", "READ 2026-11-21T17:08:00.000Z", ""},
    {"read 2026-11-20", "READ 2026-11-20T00:00:00.000Z", ""},
    {"read 21 Nov 2026 14:30:05", "READ 2026-11-21T14:30:05.000Z", ""},
    {"read yesterday-ish", "", "not a time I understand"},
    {"polls", "POLLS", ""},
    {"poll P1", "POLLINFO P1", ""},
    {"poll", "", "usage: poll ID"},
    {"verify P1 r3c31pt", "VERIFY P1 r3c31pt", ""},
    {"verify P1", "", "usage: verify ID RECEIPT"},
};

TEST_F(CommandLineTest, EveryRequestCommandAndAlias) {
  for (const auto& c : kRequests) {
    SCOPED_TRACE(c.typed);
    Input input;
    std::string error;
    if (!ParseInput(c.typed, &input, &error)) {
      EXPECT_NE(c.error, "") << error;
      EXPECT_NE(error.find(c.error), std::string::npos) << error;
      continue;
    }
    ASSERT_NE(input.spec, nullptr);
    const auto request = BuildRequest(input, kNow, &error);
    if (!c.error.empty()) {
      EXPECT_FALSE(request);
      EXPECT_NE(error.find(c.error), std::string::npos) << error;
      continue;
    }
    ASSERT_TRUE(request) << error;
    EXPECT_EQ(ToLine(*request), c.line);
  }
}

// The commands that are flows rather than one request: what they parse to.
struct FlowCase {
  std::string typed;
  Action action;
  std::vector<std::string> words;
};

TEST_F(CommandLineTest, FlowCommandsAndAliases) {
  const FlowCase cases[] = {
      {"help", Action::kHelp, {}},
      {"? msg", Action::kHelp, {"msg"}},
      {"vote P1", Action::kVote, {"P1"}},
      {"vote P1 2", Action::kVote, {"P1", "2"}},
      {"results P1", Action::kResults, {"P1"}},
      {"passwd", Action::kPasswd, {}},
      {"logout", Action::kLogout, {}},
      {"OUT", Action::kLogout, {}},
      {"quit", Action::kQuit, {}},
      {"EX", Action::kQuit, {}},
      {"detach", Action::kDetach, {}},
      {"exit", Action::kQuit, {}},
      {"Quit", Action::kQuit, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.typed);
    Input input;
    std::string error;
    ASSERT_TRUE(ParseInput(c.typed, &input, &error)) << error;
    ASSERT_NE(input.spec, nullptr);
    EXPECT_EQ(input.spec->action, c.action);
    EXPECT_EQ(input.words, c.words);
  }
}

TEST_F(CommandLineTest, BarePmAndDmAsk) {
  for (const auto& [typed, action, words, text] : std::vector<
           std::tuple<std::string, Action, std::vector<std::string>, std::optional<std::string>>>{
           {"PM", Action::kAll, {}, std::nullopt},
           {"DM", Action::kMsg, {}, std::nullopt},
           {"DM bob", Action::kMsg, {"bob"}, std::nullopt},
           {"DM bob hi", Action::kMsg, {"bob"}, "hi"},
       }) {
    SCOPED_TRACE(typed);
    Input input;
    std::string error;
    ASSERT_TRUE(ParseInput(typed, &input, &error)) << error;
    EXPECT_EQ(input.spec->action, action);
    EXPECT_TRUE(input.asks);
    EXPECT_EQ(input.words, words);
    EXPECT_EQ(input.text, text);
  }
  // The other names do not ask.
  Input input;
  std::string error;
  EXPECT_FALSE(ParseInput("msg bob", &input, &error));
  EXPECT_FALSE(ParseInput("all", &input, &error));
}

// edit/delete N TIME ...: the post's time is taken off the text.
TEST_F(CommandLineTest, PostTimeBeforeTheText) {
  struct TimeCase {
    std::string typed;
    std::string text;  // left as the text; "-" for none
    int64_t from_ms;   // 0: no time taken
    int64_t span_ms;
    std::string error;
  };
  const int64_t t = 1795287005000;  // 2026-11-21T18:50:05Z
  const TimeCase cases[] = {
      {"EDT 3 18:50:05 new words", "new words", t, 1000, ""},
      {"edit 3 2026-11-21 18:50:05 new words", "new words", t, 1000, ""},
      {"EDT 3 21 Nov 2026 18:50:05 new words", "new words", t, 1000, ""},
      {"EDT 3 21 Nov 2026 18:50 new words", "new words", t - 5000, 60000, ""},
      {"EDT 3 2026-11-21T18:50:05.123Z new words", "new words", t, 1000, ""},
      {"EDT 3 18:50 is the time", "18:50 is the time", 0, 0, ""},
      {"EDT 3 new words", "new words", 0, 0, ""},
      {"EDT 3 18:50:05", "", 0, 0, "usage: edit N [TIME] TEXT"},
      {"DLT 3 18:50:05", "-", t, 1000, ""},
      {"DLT 3 21 Nov 2026 18:50:05", "-", t, 1000, ""},
      {"DLT 3", "-", 0, 0, ""},
      {"DLT 3 soon", "", 0, 0, "'soon' is not a post's time"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.typed);
    Input input;
    std::string error;
    ASSERT_TRUE(ParseInput(c.typed, &input, &error)) << error;
    std::optional<PostTime> time;
    const bool ok = TakePostTimeOf(&input, kNow, &time, &error);
    if (!c.error.empty()) {
      EXPECT_FALSE(ok);
      EXPECT_NE(error.find(c.error), std::string::npos) << error;
      continue;
    }
    ASSERT_TRUE(ok) << error;
    EXPECT_EQ(input.text.value_or("-"), c.text);
    if (c.from_ms == 0) {
      EXPECT_FALSE(time);
      continue;
    }
    ASSERT_TRUE(time);
    EXPECT_EQ(time->from_ms, c.from_ms);
    EXPECT_EQ(time->to_ms - time->from_ms, c.span_ms);
  }
}

TEST_F(CommandLineTest, BlankLinesAreNothing) {
  Input input;
  std::string error;
  EXPECT_TRUE(ParseInput("   ", &input, &error));
  EXPECT_EQ(input.spec, nullptr);
}

TEST_F(CommandLineTest, UnknownAndAmbiguousWords) {
  Input input;
  std::string error;
  EXPECT_FALSE(ParseInput("frobnicate now", &input, &error));
  EXPECT_NE(error.find("unknown command 'frobnicate'"), std::string::npos) << error;
  EXPECT_FALSE(ParseInput("Msg bob hi", &input, &error));
  EXPECT_NE(error.find("msg or MSG (post)"), std::string::npos) << error;
  EXPECT_FALSE(ParseInput("vote P1 2 3", &input, &error));
  EXPECT_EQ(error, "usage: vote ID [OPTION]");
}

TEST(CommandTableTest, EveryCommandAndAliasHasHelp) {
  const std::string help = HelpText();
  for (const auto& c : Commands()) {
    EXPECT_NE(help.find("  " + std::string(c.name)), std::string::npos) << c.name;
    EXPECT_FALSE(HelpFor(c.name).empty()) << c.name;
  }
  for (const auto& a : Aliases()) {
    EXPECT_NE(help.find("  " + std::string(a.alias)), std::string::npos) << a.alias;
    EXPECT_NE(HelpFor(a.alias).find(SpecOf(a.action).name), std::string::npos) << a.alias;
  }
  EXPECT_EQ(HelpFor("nonsense"), "");
}

}  // namespace
}  // namespace caucus::client
