#include "core/secrets.h"

#include <gtest/gtest.h>

#include <set>

#include "core/password.h"
#include "protocol/line_builder.h"

namespace caucus::core {
namespace {

TEST(SecretsTest, TokensAndReceiptsAreWordsWithEnoughEntropy) {
  ASSERT_TRUE(InitSecrets());
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string t = NewToken(), r = NewReceipt(), id = NewShortId(), pw = NewPassword();
    EXPECT_EQ(t.size(), 43u);  // 256 bits in base64url
    EXPECT_EQ(r.size(), 32u);  // 160 bits in base32
    EXPECT_EQ(id.size(), 16u);
    EXPECT_EQ(pw.size(), 16u);
    for (const auto& s : {t, r, id, pw}) {
      EXPECT_TRUE(protocol::IsWord(s)) << s;
      EXPECT_TRUE(seen.insert(s).second) << "repeated: " << s;
    }
  }
}

TEST(SecretsTest, TokenHashIsStableAndNotTheToken) {
  ASSERT_TRUE(InitSecrets());
  const std::string t = NewToken();
  EXPECT_EQ(HashToken(t), HashToken(t));
  EXPECT_EQ(HashToken(t).size(), 32u);
  EXPECT_EQ(HashToken(t).find(t), std::string::npos);
  EXPECT_NE(HashToken(t), HashToken(NewToken()));
}

TEST(PasswordTest, Argon2idHashesVerifyAndSalt) {
  ASSERT_TRUE(InitSecrets());
  auto h1 = HashPassword("correct horse", HashCost::kInteractive);
  auto h2 = HashPassword("correct horse", HashCost::kInteractive);
  ASSERT_TRUE(h1 && h2);
  EXPECT_NE(*h1, *h2) << "salted";
  EXPECT_EQ(h1->rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(h1->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*h1, "correct horse", HashCost::kInteractive).match);
  EXPECT_FALSE(VerifyPassword(*h1, "correct horsE", HashCost::kInteractive).match);
  EXPECT_FALSE(VerifyPassword(*h1, "correct horse", HashCost::kInteractive).needs_rehash);
  EXPECT_TRUE(VerifyPassword(*h1, "correct horse", HashCost::kModerate).needs_rehash);
}

TEST(SecretsTest, WipeClears) {
  std::string s = "secret";
  Wipe(s);
  EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace caucus::core
