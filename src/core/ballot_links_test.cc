#include "core/ballot_links.h"

#include <gtest/gtest.h>

#include "core/secrets.h"

namespace caucus::core {
namespace {

TEST(BallotLinksTest, SealedReceiptOpensOnlyUnderItsKey) {
  ASSERT_TRUE(InitSecrets());
  const std::string key = RandomBytes(32);
  const std::string receipt = NewReceipt();
  const std::string sealed = SealReceipt(key, receipt);
  EXPECT_EQ(sealed.find(receipt), std::string::npos);
  EXPECT_EQ(OpenReceipt(key, sealed), receipt);
  EXPECT_EQ(OpenReceipt(RandomBytes(32), sealed), std::nullopt);
  std::string tampered = sealed;
  tampered.back() ^= 1;
  EXPECT_EQ(OpenReceipt(key, tampered), std::nullopt);
  EXPECT_NE(SealReceipt(key, receipt), sealed) << "a fresh nonce each time";
}

TEST(BallotLinksTest, VoterTagsDependOnTheKey) {
  ASSERT_TRUE(InitSecrets());
  const std::string k1 = RandomBytes(32), k2 = RandomBytes(32);
  EXPECT_EQ(VoterTag(k1, 42), VoterTag(k1, 42));
  EXPECT_NE(VoterTag(k1, 42), VoterTag(k1, 43));
  EXPECT_NE(VoterTag(k1, 42), VoterTag(k2, 42));
  EXPECT_EQ(VoterTag(k1, 42).size(), 32u);
}

}  // namespace
}  // namespace caucus::core
