#include "p2p/chat.h"

#include <gtest/gtest.h>

#include <vector>

#include "p2p/tickets.h"

namespace caucus::p2p {
namespace {

TEST(Chat, HelloThenMessagesAcrossReads) {
  ChatReader r(true);
  const std::string bytes =
      ChatHelloLine("TICKET") + *ChatMessageLine("hi there") + *ChatMessageLine("héllo");
  for (char c : bytes) r.Append(std::string_view(&c, 1));
  auto item = r.Next();
  EXPECT_EQ(item.kind, ChatReader::Kind::kHello);
  EXPECT_EQ(item.text, "TICKET");
  item = r.Next();
  EXPECT_EQ(item.kind, ChatReader::Kind::kMessage);
  EXPECT_EQ(item.text, "hi there");
  item = r.Next();
  EXPECT_EQ(item.text, "héllo");
  EXPECT_EQ(r.Next().kind, ChatReader::Kind::kNone);
}

TEST(Chat, ConnectingSideExpectsNoHello) {
  ChatReader r(false);
  r.Append("CAUCUS-CHAT/1 X\n");
  auto item = r.Next();
  EXPECT_EQ(item.kind, ChatReader::Kind::kMessage);
}

TEST(Chat, BadInputEndsTheChat) {
  for (const std::string& bytes : std::vector<std::string>{
           "hello\n", "CAUCUS-CHAT/1\n", "CAUCUS-CHAT/1 a b\n", "CAUCUS-CHAT/2 T\n",
           "CAUCUS-CHAT/1 T\n\xff\n", "CAUCUS-CHAT/1 T\n\n", "CAUCUS-CHAT/1 T\nbell\x07\n",
           "CAUCUS-CHAT/1 T\n" + std::string(kMaxChatText + 1, 'a') + "\n"}) {
    ChatReader r(true);
    r.Append(bytes);
    ChatReader::Kind last = ChatReader::Kind::kNone;
    for (int i = 0; i < 4; ++i) {
      last = r.Next().kind;
      if (last == ChatReader::Kind::kBad) break;
    }
    EXPECT_EQ(last, ChatReader::Kind::kBad) << bytes;
    EXPECT_EQ(r.Next().kind, ChatReader::Kind::kBad);
  }
}

TEST(Chat, MessageLinesAreChecked) {
  EXPECT_FALSE(ChatMessageLine(""));
  EXPECT_FALSE(ChatMessageLine("a\nb"));
  EXPECT_FALSE(ChatMessageLine(std::string(kMaxChatText + 1, 'a')));
  EXPECT_EQ(*ChatMessageLine("ok"), "ok\n");
}

TEST(Tickets, OneTimeOnly) {
  TicketBook<int> book;
  book.Expect("A", 1, 0);
  book.Expect("B", 2, 0);
  EXPECT_FALSE(book.Redeem("C", 10));
  EXPECT_EQ(book.Redeem("A", 10), 1);
  EXPECT_FALSE(book.Redeem("A", 10));
  book.Expect("A", 3, 20);  // a spent ticket stays spent
  EXPECT_FALSE(book.Redeem("A", 30));
  int expired = 0;
  book.Expire(TicketBook<int>::kLifetime, [&](int offer) { expired = offer; });
  EXPECT_EQ(expired, 2);
  EXPECT_FALSE(book.Redeem("B", TicketBook<int>::kLifetime));
}

}  // namespace
}  // namespace caucus::p2p
