#include "bus/nats_bus.h"

#include <gtest/gtest.h>
#include <nats/nats.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "bus/frames.h"
#include "bus/testing/nats_server.h"

namespace caucus::bus {
namespace {

using namespace std::chrono_literals;

class NatsBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::NatsServer::Binary().empty()) GTEST_SKIP() << "nats-server is not installed";
    server_ = std::make_unique<testing::NatsServer>();
  }
  std::unique_ptr<NatsBus> Connect() {
    std::string error;
    auto bus = NatsBus::Connect(server_->url(), io_, &error);
    EXPECT_TRUE(bus) << error;
    return bus;
  }
  // Runs the loop until `done()` or 10 s have passed; true if done.
  template <class Done>
  bool RunUntil(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(10ms);
    }
    return done();
  }

  boost::asio::io_context io_;
  std::unique_ptr<testing::NatsServer> server_;
};

TEST_F(NatsBusTest, DeliversOnTheLoopThreadToExactAndWildcardSubscribers) {
  auto a = Connect();
  auto b = Connect();
  ASSERT_TRUE(RunUntil([&] { return a->connected() && b->connected(); }));
  std::vector<std::string> exact, wild;
  const auto loop_thread = std::this_thread::get_id();
  bool on_loop = true;
  b->Subscribe("caucus.node.n2", [&](std::string_view subject, std::string_view payload) {
    on_loop = on_loop && std::this_thread::get_id() == loop_thread;
    exact.push_back(std::string(subject) + "=" + std::string(payload));
  });
  b->Subscribe("caucus.node.>",
               [&](std::string_view subject, std::string_view) { wild.emplace_back(subject); });
  // A subscription is live once the broker has it: publish until it arrives.
  ASSERT_TRUE(RunUntil([&] {
    if (exact.empty()) a->Publish("caucus.node.n2", "first");
    return !exact.empty();
  }));
  a->Publish("caucus.node.n3", "other");
  a->Publish("caucus.node.n2", std::string("bin\0ary", 7));
  const std::string binary("caucus.node.n2=bin\0ary", 22);
  // (Copies of "first" may still arrive: it was published until one did.)
  ASSERT_TRUE(RunUntil([&] {
    return std::find(exact.begin(), exact.end(), binary) != exact.end() &&
           std::find(wild.begin(), wild.end(), "caucus.node.n3") != wild.end();
  }));
  EXPECT_TRUE(on_loop);
  for (const auto& e : exact) EXPECT_EQ(e.find("caucus.node.n3"), std::string::npos) << e;
}

TEST_F(NatsBusTest, UnsubscribedHandlerHearsNothingMore) {
  auto bus = Connect();
  int heard = 0, control = 0;
  const auto id = bus->Subscribe("t.one", [&](auto, auto) { ++heard; });
  bus->Subscribe("t.two", [&](auto, auto) { ++control; });
  ASSERT_TRUE(RunUntil([&] {
    if (heard == 0) bus->Publish("t.one", "x");
    return heard > 0;
  }));
  bus->Unsubscribe(id);
  const int before = heard;
  bus->Publish("t.one", "y");
  ASSERT_TRUE(RunUntil([&] {
    if (control == 0) bus->Publish("t.two", "z");
    return control > 0;
  }));
  EXPECT_EQ(heard, before);
}

TEST_F(NatsBusTest, ABurstThatArrivesWhileTheLoopIsBusyIsTakenInOneRead) {
  auto sender = Connect();
  auto receiver = Connect();
  bool live = false;
  std::vector<std::string> got;
  receiver->Subscribe("t.burst", [&](auto, std::string_view p) {
    if (p == "probe") {
      live = true;
    } else {
      got.emplace_back(p);
    }
  });
  ASSERT_TRUE(RunUntil([&] {
    if (!live) sender->Publish("t.burst", "probe");
    return live;
  }));
  io_.restart();
  io_.run_for(200ms);  // stray probes
  const uint64_t before = receiver->stats().hand_overs;
  const uint64_t before_messages = receiver->stats().messages_received;
  // Each publication its own message, sent now by a client of its own; the
  // loop is not running, so the receiver's socket holds the whole burst
  // when it next reads.
  natsConnection* raw = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&raw, server_->url().c_str()), NATS_OK);
  for (int i = 0; i < 200; ++i) {
    std::string framed;
    AppendFrame(&framed, std::to_string(i));
    ASSERT_EQ(
        natsConnection_Publish(raw, "t.burst", framed.data(), static_cast<int>(framed.size())),
        NATS_OK);
  }
  ASSERT_EQ(natsConnection_Flush(raw), NATS_OK);
  natsConnection_Destroy(raw);
  std::this_thread::sleep_for(200ms);  // the broker passes it on
  ASSERT_TRUE(RunUntil([&] { return got.size() >= 200; })) << got.size();
  EXPECT_EQ(got.front(), "0");
  EXPECT_EQ(got.back(), "199");  // in order
  // The burst was waiting when the loop ran: one read takes it all, a few
  // if the broker split its delivery around the loop's turns.
  EXPECT_LE(receiver->stats().hand_overs - before, 3u);
  EXPECT_EQ(receiver->stats().messages_received - before_messages, 200u);
}

TEST_F(NatsBusTest, ATurnsPublicationsToOneSubjectLeaveAsOneMessageInOrder) {
  auto sender = Connect();
  auto receiver = Connect();
  bool live = false;
  std::vector<std::string> got;  // subject:payload, in arrival order
  receiver->Subscribe("t.>", [&](std::string_view subject, std::string_view p) {
    if (p == "probe") {
      live = true;
    } else {
      got.push_back(std::string(subject) + ":" + std::string(p));
    }
  });
  ASSERT_TRUE(RunUntil([&] {
    if (!live) sender->Publish("t.a", "probe");
    return live;
  }));
  io_.restart();
  io_.run_for(200ms);  // stray probes
  got.clear();
  // A raw subscriber counts what the broker carries.
  natsConnection* raw = nullptr;
  natsSubscription* counter = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&raw, server_->url().c_str()), NATS_OK);
  ASSERT_EQ(natsConnection_SubscribeSync(&counter, raw, "t.>"), NATS_OK);
  ASSERT_EQ(natsConnection_Flush(raw), NATS_OK);

  // One turn: 100 to t.a, one to t.b, 100 to t.a again.
  std::vector<std::string> sent;
  for (int i = 0; i < 201; ++i) {
    const std::string subject = i == 100 ? "t.b" : "t.a";
    const std::string payload = "m" + std::to_string(i);
    sender->Publish(subject, payload);
    sent.push_back(subject + ":" + payload);
  }
  ASSERT_TRUE(RunUntil([&] { return got.size() >= sent.size(); })) << got.size();
  EXPECT_EQ(got, sent);
  // What the broker carried for the turn: stray probes (a late one may
  // still reach the counter) aside, until every payload has come or 10 s.
  int messages = 0;
  size_t payloads = 0;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  natsMsg* msg = nullptr;
  while (std::chrono::steady_clock::now() < deadline &&
         natsSubscription_NextMsg(&msg, counter, payloads < sent.size() ? 1000 : 200) == NATS_OK) {
    size_t frames = 0, probes = 0;
    ForEachFrame(std::string_view(natsMsg_GetData(msg), natsMsg_GetDataLength(msg)),
                 [&](std::string_view p) {
                   ++frames;
                   if (p == "probe") ++probes;
                 });
    natsMsg_Destroy(msg);
    if (frames == probes) continue;
    ++messages;
    payloads += frames;
  }
  EXPECT_EQ(messages, 3);  // t.a, t.b, t.a: the order of subjects kept
  EXPECT_EQ(payloads, sent.size());
  natsSubscription_Destroy(counter);
  natsConnection_Destroy(raw);
}

TEST_F(NatsBusTest, WhatATurnPublishedLeavesEvenWhenTheBusCloses) {
  auto receiver = Connect();
  std::vector<std::string> got;
  bool live = false;
  receiver->Subscribe("t.last", [&](auto, std::string_view p) {
    if (p == "probe") {
      live = true;
    } else {
      got.emplace_back(p);
    }
  });
  {
    auto sender = Connect();
    ASSERT_TRUE(RunUntil([&] {
      if (!live) sender->Publish("t.last", "probe");
      return live;
    }));
    sender->Publish("t.last", "goodbye");  // the loop never runs the flush
  }
  ASSERT_TRUE(RunUntil([&] { return !got.empty(); }));
  EXPECT_EQ(got.back(), "goodbye");
}

TEST_F(NatsBusTest, ComesBackAfterTheBrokerRestarts) {
  auto bus = Connect();
  int reconnected = 0;
  std::vector<std::string> got;
  bus->OnReconnected([&] { ++reconnected; });
  bus->Subscribe("t.r", [&](auto, std::string_view p) { got.emplace_back(p); });
  ASSERT_TRUE(RunUntil([&] {
    if (got.empty()) bus->Publish("t.r", "before");
    return !got.empty();
  }));
  server_->Stop();
  ASSERT_TRUE(RunUntil([&] { return !bus->connected(); }));
  server_->Start();
  ASSERT_TRUE(RunUntil([&] { return reconnected > 0; }));
  got.clear();
  ASSERT_TRUE(RunUntil([&] {
    if (got.empty()) bus->Publish("t.r", "after");
    return !got.empty();
  }));
  EXPECT_EQ(got.front(), "after");
}

TEST(NatsBusUrlTest, RefusesWhatIsNotANatsUrl) {
  std::string error;
  boost::asio::io_context io;
  auto bus = NatsBus::Connect("http://127.0.0.1:4222", io, &error);
  EXPECT_FALSE(bus);
  EXPECT_NE(error.find("nats://"), std::string::npos) << error;
}

}  // namespace
}  // namespace caucus::bus
