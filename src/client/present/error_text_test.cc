#include "client/present/error_text.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace caucus::client {
namespace {

constexpr int64_t kNow = 1795288080000;  // 2026-11-21T19:08:00Z

Reply Err(std::string verb, std::string code, std::vector<std::string> params = {},
          std::string text = "server text") {
  Reply r;
  r.verb = std::move(verb);
  r.code = std::move(code);
  r.params = std::move(params);
  r.text = std::move(text);
  return r;
}

TEST(ErrorTextTest, EveryCodeHasPlainWords){
#define CAUCUS_X(id, wire, text)                                              \
  {                                                                           \
    const std::string m = ErrorMessage(Err("SEND", wire), kNow);              \
    EXPECT_FALSE(m.empty()) << wire;                                          \
    EXPECT_EQ(m.find(wire), std::string::npos) << wire << ": " << m;          \
    EXPECT_EQ(m.find("server text"), std::string::npos) << wire << ": " << m; \
    EXPECT_EQ(CodeFromName(wire), protocol::Code::id) << wire;                \
  }
    CAUCUS_ERROR_CODES(CAUCUS_X)
#undef CAUCUS_X
}

TEST(ErrorTextTest, ParametersAreWorkedIn) {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  const std::pair<Reply, std::string> cases[] = {
      {Err("LOGIN", "AUTH_FAILED", {"2"}),
       "wrong password; 2 attempts left before the account is locked"},
      {Err("LOGIN", "AUTH_FAILED", {"1"}),
       "wrong password; 1 attempt left before the account is locked"},
      {Err("LOGIN", "LOCKED", {"10"}),
       "too many wrong passwords: the account is locked for 10 seconds"},
      {Err("VOTE", "LOCKED", {"125"}),
       "too many wrong passwords: the account is locked for 2 minutes 5 seconds"},
      {Err("RESULTS", "RESULTS_HIDDEN", {"2026-11-21T20:00:00.000Z"}),
       "results are hidden until the poll closes (20:00)"},
      {Err("POLLROLL", "NO_SUCH_USER", {"zed"}), "there is no user zed"},
      {Err("BLOCK", "SELF"), "you cannot block yourself"},
      {Err("FROB", "UNKNOWN_COMMAND"),
       "the server does not know FROB (it may be older than this client)"},
      {Err("FROB", "SOME_NEW_CODE"), "server text"},
      {Err("FROB", "SOME_NEW_CODE", {}, ""), "SOME_NEW_CODE"},
  };
  for (const auto& [reply, words] : cases) EXPECT_EQ(ErrorMessage(reply, kNow), words);
}

TEST(ErrorTextTest, RefusalsNameTheServersRule) {
  ServerRules rules;
  rules.known = true;
  rules.min_password = 12;
  rules.max_text = 500;
  rules.email_domain = "example\\.org";
  EXPECT_EQ(ErrorMessage(Err("REGISTER", "WEAK_PASSWORD"), kNow, &rules),
            "that password is too short: this server wants at least 12 bytes");
  EXPECT_EQ(ErrorMessage(Err("SEND", "TOO_LONG"), kNow, &rules),
            "the text is too long: this server takes at most 500 bytes");
  EXPECT_EQ(ErrorMessage(Err("REGISTER", "DOMAIN_NOT_ALLOWED"), kNow, &rules),
            "this server takes as names only e-mail addresses at example.org");
  EXPECT_NE(ErrorMessage(Err("REGISTER", "BAD_NAME"), kNow, &rules).find("ASCII letters"),
            std::string::npos);
  // Without the rules, the words the protocol alone allows.
  EXPECT_EQ(ErrorMessage(Err("REGISTER", "WEAK_PASSWORD"), kNow), "that password is too short");
}

TEST(ErrorTextTest, EveryByeReasonHasPlainWords) {
#define CAUCUS_X(id, wire, text)                                 \
  {                                                              \
    const std::string m = ByeMessage(wire, "server text");       \
    EXPECT_FALSE(m.empty()) << wire;                             \
    EXPECT_EQ(m.find("server text"), std::string::npos) << wire; \
  }
  CAUCUS_BYE_REASONS(CAUCUS_X)
#undef CAUCUS_X
  EXPECT_EQ(ByeMessage("SOMETHING_NEW", "server text"), "server text");
}

}  // namespace
}  // namespace caucus::client
