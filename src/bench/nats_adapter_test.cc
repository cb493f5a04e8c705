#include "bench/nats_adapter.h"

#include <gtest/gtest.h>

namespace caucus::bench {
namespace {

using Kind = Event::Kind;

TEST(NatsAdapterTest, ConnectsSubscribesAndWaitsForPong) {
  NatsAdapter a("b3", {.broadcast = true, .inbox = true});
  std::string out;
  a.Start(out);
  EXPECT_EQ(out,
            "CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":false,\"name\":\"b3\"}\r\n"
            "SUB bench 1\r\nSUB u.b3 2\r\nPING\r\n");
  out.clear();
  EXPECT_EQ(a.OnLine("INFO {\"server_id\":\"x\"}", out).kind, Kind::kNone);
  EXPECT_EQ(a.OnLine("+OK", out).kind, Kind::kNone);
  EXPECT_EQ(a.OnLine("PONG", out).kind, Kind::kReady);
  EXPECT_EQ(a.OnLine("PONG", out).kind, Kind::kPong);
  EXPECT_EQ(out, "");
}

TEST(NatsAdapterTest, SubscribesOnlyToWhatIsAsked) {
  NatsAdapter a("b3", {});
  std::string out;
  a.Start(out);
  EXPECT_EQ(out.find("SUB"), std::string::npos);
}

TEST(NatsAdapterTest, DeliveryIsTheLineAfterMsg) {
  NatsAdapter a("b3", {.broadcast = true});
  std::string out;
  EXPECT_EQ(a.OnLine("MSG bench 1 8", out).kind, Kind::kNone);
  const Event e = a.OnLine("1.2.3.xx", out);
  EXPECT_EQ(e.kind, Kind::kDelivery);
  EXPECT_EQ(e.text, "1.2.3.xx");
  EXPECT_EQ(a.OnLine("MSG u.b3 2 reply.to 4", out).kind, Kind::kNone);
  EXPECT_EQ(a.OnLine("PONG", out).kind, Kind::kDelivery);  // a payload, whatever it says
}

TEST(NatsAdapterTest, AnswersPingsAndReportsErrors) {
  NatsAdapter a("b3", {});
  std::string out;
  EXPECT_EQ(a.OnLine("PING", out).kind, Kind::kNone);
  EXPECT_EQ(out, "PONG\r\n");
  EXPECT_EQ(a.OnLine("-ERR 'Slow Consumer'", out).kind, Kind::kError);
}

TEST(NatsAdapterTest, BuildsCommands) {
  NatsAdapter a("b3", {});
  std::string out;
  a.Publish(out, "hi there");
  a.Direct(out, "b4", "0.1");
  a.Ping(out);
  EXPECT_EQ(out, "PUB bench 8\r\nhi there\r\nPUB u.b4 3\r\n0.1\r\nPING\r\n");
}

}  // namespace
}  // namespace caucus::bench
