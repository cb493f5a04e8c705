#include "p2p/wire.h"

#include <gtest/gtest.h>

namespace caucus::p2p {
namespace {

TEST(Wire, StartRoundTrip) {
  Start s{"ABCDEF234567", 1234567890123ULL, {}, 1200};
  for (size_t i = 0; i < 32; ++i) s.sha256[i] = static_cast<uint8_t>(i * 7);
  std::string bytes;
  EncodeStart(0xDEADBEEF, s, &bytes);
  const auto d = Decode(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->type, Type::kStart);
  EXPECT_EQ(d->transfer, 0xDEADBEEFu);
  EXPECT_EQ(d->start.ticket, s.ticket);
  EXPECT_EQ(d->start.size, s.size);
  EXPECT_EQ(d->start.sha256, s.sha256);
  EXPECT_EQ(d->start.payload, 1200);
}

TEST(Wire, DataAckFinCloseRoundTrip) {
  std::string bytes;
  EncodeData(5, 99, "hello", &bytes);
  auto d = Decode(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->type, Type::kData);
  EXPECT_EQ(d->seq, 99u);
  EXPECT_EQ(d->data, "hello");

  Ack a{10, 500, {{12, 14}, {20, 21}}};
  EncodeAck(5, a, &bytes);
  d = Decode(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->type, Type::kAck);
  EXPECT_EQ(d->ack.cumulative, 10u);
  EXPECT_EQ(d->ack.limit, 500u);
  EXPECT_EQ(d->ack.sack, a.sack);

  EncodeFin(5, &bytes);
  d = Decode(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->type, Type::kFin);

  EncodeClose(5, Result::kHashMismatch, &bytes);
  d = Decode(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->type, Type::kClose);
  EXPECT_EQ(d->result, Result::kHashMismatch);
}

std::string Valid(Type t) {
  std::string b;
  switch (t) {
    case Type::kStart:
      EncodeStart(1, {"T", 10, {}, 1200}, &b);
      break;
    case Type::kData:
      EncodeData(1, 0, "x", &b);
      break;
    case Type::kAck:
      EncodeAck(1, {1, 9, {{3, 5}}}, &b);
      break;
    case Type::kFin:
      EncodeFin(1, &b);
      break;
    case Type::kClose:
      EncodeClose(1, Result::kOk, &b);
      break;
  }
  return b;
}

TEST(Wire, RejectsTruncationAndTrailingBytes) {
  for (Type t : {Type::kStart, Type::kData, Type::kAck, Type::kFin, Type::kClose}) {
    const std::string b = Valid(t);
    ASSERT_TRUE(Decode(b)) << static_cast<int>(t);
    for (size_t n = 0; n < b.size(); ++n) {
      // A DATA datagram cut after at least one payload byte is still valid.
      if (t == Type::kData && n > kHeaderSize + 4) continue;
      EXPECT_FALSE(Decode(b.substr(0, n))) << static_cast<int>(t) << " cut at " << n;
    }
    if (t != Type::kData) {
      EXPECT_FALSE(Decode(b + "x")) << static_cast<int>(t);
    }
  }
}

TEST(Wire, RejectsBadFields) {
  std::string b = Valid(Type::kFin);
  b[0] = 'X';
  EXPECT_FALSE(Decode(b));
  b = Valid(Type::kFin);
  b[2] = 2;  // version
  EXPECT_FALSE(Decode(b));
  b = Valid(Type::kFin);
  b[3] = 9;  // type
  EXPECT_FALSE(Decode(b));

  std::string s;
  EncodeStart(1, {"has space", 10, {}, 1200}, &s);
  EXPECT_FALSE(Decode(s));
  EncodeStart(1, {"T", 10, {}, 0}, &s);
  EXPECT_FALSE(Decode(s));
  EncodeStart(1, {"T", 10, {}, 60001}, &s);
  EXPECT_FALSE(Decode(s));
  EncodeStart(1, {"T", ~0ULL, {}, 1}, &s);  // more chunks than sequence numbers
  EXPECT_FALSE(Decode(s));

  std::string a;
  EncodeAck(1, {5, 9, {{5, 6}}}, &a);  // a block at the cumulative point
  EXPECT_FALSE(Decode(a));
  EncodeAck(1, {5, 9, {{7, 7}}}, &a);  // empty block
  EXPECT_FALSE(Decode(a));
  EncodeAck(1, {5, 9, {{7, 10}}}, &a);  // past the limit
  EXPECT_FALSE(Decode(a));
  EncodeAck(1, {5, 4, {}}, &a);  // limit below the cumulative point
  EXPECT_FALSE(Decode(a));

  std::string c;
  EncodeClose(1, Result::kOk, &c);
  c.back() = 7;
  EXPECT_FALSE(Decode(c));

  std::string d;
  EncodeData(1, 0, std::string(kMaxPayload + 1, 'x'), &d);
  EXPECT_FALSE(Decode(d));
}

}  // namespace
}  // namespace caucus::p2p
