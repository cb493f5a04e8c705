#include "client/account/rules.h"

#include <gtest/gtest.h>

#include "client/link/session.h"

namespace caucus::client {
namespace {

// A RULES reply as the server would send it.
Reply RulesReply(const std::vector<std::string>& lines) {
  Session session;
  std::string out;
  const std::string tag = session.Submit({"RULES", {}, std::nullopt}, &out);
  Reply reply;
  for (const auto& l : lines) {
    Received r = session.Receive("@" + tag + " " + l);
    if (r.kind == Received::Kind::kReply) reply = std::move(r.reply);
  }
  return reply;
}

TEST(RulesTest, ReadsTheReplyAndSaysItAsASentence) {
  const ServerRules open = ServerRules::From(
      RulesReply({"RULE registration :open", "RULE passwords :chosen", "RULE min-password :8",
                  "RULE max-text :4000", "RULE max-line :8192", "RULE idle-timeout :600",
                  "RULE new-one :x", "OK RULES 7"}));
  EXPECT_TRUE(open.known);
  EXPECT_EQ(open.min_password, 8);
  EXPECT_EQ(open.max_text, 4000);
  EXPECT_EQ(open.idle_timeout, 600);
  EXPECT_EQ(open.Greeting(),
            "Anyone can create an account here: a name of up to 64 letters, digits and . _ - @ + "
            "(starting with a letter or digit), and a password of at least 8 bytes of your "
            "choice. Messages and posts are up to 4000 bytes. After 10 minutes without a "
            "command the server logs you out.");

  const ServerRules email = ServerRules::From(
      RulesReply({"RULE registration :email", "RULE email-domain :example\\.org|example\\.com",
                  "RULE passwords :generated", "RULE idle-timeout :0", "OK RULES 4"}));
  EXPECT_EQ(email.Greeting(),
            "You can create an account here with your e-mail address at example.org or "
            "example.com as its name; the server makes the password and shows it to you once.");
  const ServerRules closed =
      ServerRules::From(RulesReply({"RULE registration :closed", "OK RULES 1"}));
  EXPECT_EQ(closed.Greeting(),
            "This server takes no new accounts: log in with yours, or ask its operator for one.");

  const ServerRules older = ServerRules::From(RulesReply({"ERR RULES UNKNOWN_COMMAND :what?"}));
  EXPECT_FALSE(older.known);
  EXPECT_EQ(older.Greeting(), "");
}

TEST(RulesTest, DomainsInWords) {
  ServerRules r;
  for (const auto& [pattern, words] : std::vector<std::pair<std::string, std::string>>{
           {"example\\.org", "example.org"},
           {"(example\\.org|example\\.com)", "example.org or example.com"},
           {"a\\.org|b\\.org|c\\.org", "a.org, b.org or c.org"},
           {".*", "any domain"},
           {"(.+\\.)?example\\.org", "domains matching the pattern (.+\\.)?example\\.org"},
       }) {
    r.email_domain = pattern;
    EXPECT_EQ(r.Domains(), words) << pattern;
  }
  r.email_domain = "example\\.org";
  EXPECT_TRUE(r.AllowsDomainOf("dora@Example.ORG"));
  EXPECT_FALSE(r.AllowsDomainOf("dora@example.org.evil.com"));
  EXPECT_FALSE(r.AllowsDomainOf("dora@elsewhere.com"));
  r.email_domain = "(";  // not a pattern this client reads: the server decides
  EXPECT_TRUE(r.AllowsDomainOf("dora@elsewhere.com"));
}

TEST(RulesTest, WhyANameIsNotOne) {
  EXPECT_EQ(WhyNotAName("alice"), "");
  EXPECT_EQ(WhyNotAName("a.b_c-d@e+f"), "");
  EXPECT_NE(WhyNotAName("jos\xc3\xa9").find("'\xc3\xa9' is not ASCII"), std::string::npos);
  EXPECT_NE(WhyNotAName("bob smith").find("' ' is not one of them"), std::string::npos);
  EXPECT_NE(WhyNotAName("-bob").find("cannot start with '-'"), std::string::npos);
  EXPECT_NE(WhyNotAName(std::string(65, 'a')).find("65 bytes long"), std::string::npos);
  EXPECT_EQ(WhyNotAName(""), "a name cannot be empty");
}

}  // namespace
}  // namespace caucus::client
