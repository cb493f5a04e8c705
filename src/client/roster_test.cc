#include "client/roster.h"

#include <gtest/gtest.h>

#include "client/input/completion.h"

namespace caucus::client {
namespace {

using Names = std::vector<std::string>;

Reply Who(std::vector<Line> users) {
  Reply r;
  r.verb = "WHO";
  r.ok = true;
  r.data = std::move(users);
  return r;
}

TEST(RosterTest, FollowsWhoAndPresence) {
  Roster roster;
  roster.OnWho(Who({{"USER", {"Bob", "t", "online"}},
                    {"USER", {"bea", "t", "offline"}},
                    {"USER", {"carol", "t", "online", "p2p"}}}));
  EXPECT_EQ(roster.Matching(""), (Names{"Bob", "carol"}));
  EXPECT_EQ(roster.Matching("b"), (Names{"Bob"}));
  roster.OnEvent({"PRESENCE", {"bea", "online", "t"}});
  EXPECT_EQ(roster.Matching("B"), (Names{"bea", "Bob"}));
  roster.OnEvent({"PRESENCE", {"BOB", "offline", "t"}});
  roster.OnEvent({"MSG", {"1", "t", "zed", "dm", "hi"}});
  EXPECT_EQ(roster.Matching(""), (Names{"bea", "carol"}));
  Reply failed = Who({});
  failed.ok = false;
  roster.OnWho(failed);
  EXPECT_EQ(roster.Matching(""), (Names{"bea", "carol"}));
}

TEST(CompletionTest, CommandsThenNames) {
  Roster roster;
  roster.OnWho(Who({{"USER", {"bob", "t", "online"}}, {"USER", {"carol", "t", "online"}}}));
  EXPECT_EQ(Completions(roster, "", "bl"), (Names{"block", "blocks"}));
  EXPECT_EQ(Completions(roster, "  ", "DL"), (Names{"DLT"}));
  EXPECT_EQ(Completions(roster, "msg ", "c"), (Names{"carol"}));
  EXPECT_EQ(Completions(roster, "DM ", ""), (Names{"bob", "carol"}));
  EXPECT_EQ(Completions(roster, "PM ", ""), Names{});  // PM is to everyone
  EXPECT_EQ(Completions(roster, "history ", "b"), (Names{"bob"}));
  EXPECT_EQ(Completions(roster, "help ", "pol"), (Names{"poll", "polls"}));
  EXPECT_EQ(Completions(roster, "msg bob ", "c"), Names{});
  EXPECT_EQ(Completions(roster, "post ", "b"), Names{});
  EXPECT_EQ(Completions(roster, "nonsense ", "b"), Names{});
}

TEST(CompletionTest, InvitationsByIdOrSender) {
  Roster roster;
  const Names waiting = {"K7Q2M4DX9PLA3B5C", "yoda", "R2D2R2D2R2D2R2D2", "luke"};
  EXPECT_EQ(Completions(roster, "accept ", "", waiting),
            (Names{"K7Q2M4DX9PLA3B5C", "R2D2R2D2R2D2R2D2", "luke", "yoda"}));
  EXPECT_EQ(Completions(roster, "decline ", "Y", waiting), Names{"yoda"});
  EXPECT_EQ(Completions(roster, "accept ", "k7", waiting), Names{"K7Q2M4DX9PLA3B5C"});
  EXPECT_EQ(Completions(roster, "msg ", "y", waiting), Names{});
}

}  // namespace
}  // namespace caucus::client
