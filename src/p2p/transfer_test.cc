// The sender and receiver state machines over a simulated channel that
// loses, duplicates, reorders and delays datagrams, on a simulated clock.
#include <gtest/gtest.h>
#include <sodium.h>

#include <functional>
#include <memory>
#include <queue>
#include <random>
#include <string>

#include "p2p/receiver.h"
#include "p2p/sender.h"

namespace caucus::p2p {
namespace {

class StringSource : public Source {
 public:
  explicit StringSource(const std::string& data) : data_(data) {}
  bool Read(uint64_t offset, size_t len, std::string* out) override {
    if (offset + len > data_.size()) return false;
    out->assign(data_, offset, len);
    return true;
  }

 private:
  const std::string& data_;
};

class StringSink : public Sink {
 public:
  bool Append(std::string_view bytes) override {
    data.append(bytes);
    return true;
  }
  std::string data;
};

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

Sha256 HashOf(const std::string& data) {
  Sha256 h;
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return h;
}

struct ChannelConfig {
  double loss = 0;
  double duplicate = 0;
  double reorder = 0;  // share of datagrams held back up to 4 delays
  Micros delay = 5'000;
};

// Which way a datagram goes.
enum class Way { kToReceiver, kToSender };

// A sender and a receiver joined by a simulated channel. The receiver is
// made when the first START arrives, as a client does after checking the
// ticket.
class Simulation {
 public:
  Simulation(const std::string& data, ChannelConfig channel, uint16_t payload = 1200,
             uint64_t seed = 1)
      : data_(data), channel_(channel), rng_(seed), source_(data_) {
    Sender::Config c;
    c.transfer = 77;
    c.ticket = "TICKET234567";
    c.size = data_.size();
    c.sha256 = HashOf(data_);
    c.payload = payload;
    sender_ = std::make_unique<Sender>(c, source_, now_);
  }

  // Return true to drop a datagram (on top of the random losses).
  std::function<bool(Way, const Datagram&)> drop;
  // Changes the START the receiver sees (to fake a wrong offer).
  std::function<void(Start*)> tamper;

  // Runs until both sides finished (or `limit` of simulated time).
  void Run(Micros limit = 600'000'000) {
    while (now_ < limit) {
      bool sent = true;
      while (sent && !sender_->finished()) {
        out_.Clear();
        sender_->Poll(now_, &out_);
        for (size_t i = 0; i < out_.size(); ++i) Send(Way::kToReceiver, out_[i]);
        sent = out_.size() == 64;
      }
      if (sender_->finished()) {
        out_.Clear();
        sender_->Poll(now_, &out_);
        for (size_t i = 0; i < out_.size(); ++i) Send(Way::kToReceiver, out_[i]);
      }
      if (receiver_) {
        out_.Clear();
        receiver_->Poll(now_, &out_);
        for (size_t i = 0; i < out_.size(); ++i) Send(Way::kToSender, out_[i]);
      }
      const bool receiver_done = !receiver_ || receiver_->finished();
      if (sender_->finished() && receiver_done && queue_.empty()) return;
      Micros next = std::min(sender_->NextWakeup(), limit);
      if (receiver_ && !receiver_->finished()) next = std::min(next, receiver_->NextWakeup());
      if (!queue_.empty()) next = std::min(next, queue_.top().at);
      now_ = std::max(now_, next);
      while (!queue_.empty() && queue_.top().at <= now_) {
        InFlight f = queue_.top();
        queue_.pop();
        Deliver(f);
      }
    }
  }

  Sender& sender() { return *sender_; }
  Receiver* receiver() { return receiver_.get(); }
  const std::string& received() const { return sink_.data; }
  Micros now() const { return now_; }
  // Cuts the channel both ways from now on.
  void Vanish() { vanished_ = true; }
  bool vanished() const { return vanished_; }
  uint64_t delivered(Way w) const { return delivered_[static_cast<int>(w)]; }

 private:
  struct InFlight {
    Micros at;
    uint64_t order;
    Way way;
    std::string bytes;
    bool operator<(const InFlight& o) const {
      return at != o.at ? at > o.at : order > o.order;  // earliest first
    }
  };

  void Send(Way way, const std::string& bytes) {
    std::uniform_real_distribution<double> u(0, 1);
    if (vanished_ || u(rng_) < channel_.loss) return;
    const auto d = Decode(bytes);
    ASSERT_TRUE(d.has_value()) << "a state machine sent an invalid datagram";
    if (drop && drop(way, *d)) return;
    const int copies = u(rng_) < channel_.duplicate ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      Micros at = now_ + channel_.delay;
      if (u(rng_) < channel_.reorder) {
        at += static_cast<Micros>(u(rng_) * 4 * static_cast<double>(channel_.delay));
      }
      queue_.push({at, order_++, way, bytes});
    }
  }

  void Deliver(const InFlight& f) {
    if (vanished_) return;
    auto d = Decode(f.bytes);
    ASSERT_TRUE(d.has_value());
    ++delivered_[static_cast<int>(f.way)];
    if (f.way == Way::kToSender) {
      sender_->OnDatagram(*d, now_);
      return;
    }
    if (!receiver_) {
      if (d->type != Type::kStart) return;  // the receiver answers nothing else yet
      Start start = d->start;
      if (tamper) tamper(&start);
      receiver_ = std::make_unique<Receiver>(d->transfer, start, sink_, now_);
      return;
    }
    receiver_->OnDatagram(*d, now_);
  }

  const std::string& data_;
  ChannelConfig channel_;
  std::mt19937_64 rng_;
  StringSource source_;
  StringSink sink_;
  std::unique_ptr<Sender> sender_;
  std::unique_ptr<Receiver> receiver_;
  std::priority_queue<InFlight> queue_;
  uint64_t order_ = 0;
  Micros now_ = 0;
  Outbox out_;
  bool vanished_ = false;
  uint64_t delivered_[2] = {0, 0};
};

void ExpectDelivered(Simulation& sim, const std::string& data) {
  EXPECT_EQ(sim.sender().state(), Sender::State::kDone) << ResultText(sim.sender().result());
  ASSERT_NE(sim.receiver(), nullptr);
  EXPECT_EQ(sim.receiver()->state(), Receiver::State::kDone);
  EXPECT_EQ(sim.received().size(), data.size());
  EXPECT_TRUE(sim.received() == data);
  EXPECT_EQ(sim.sender().bytes_acked(), data.size());
}

struct LossyCase {
  const char* name;
  ChannelConfig channel;
  uint16_t payload;
  size_t size;
  double max_transmissions_per_chunk;
};

class LossyChannel : public ::testing::TestWithParam<LossyCase> {};

TEST_P(LossyChannel, DeliversEveryByteOnce) {
  const auto& c = GetParam();
  const std::string data = RandomBytes(c.size, 42);
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    Simulation sim(data, c.channel, c.payload, seed);
    sim.Run();
    ExpectDelivered(sim, data);
    const double chunks = static_cast<double>((data.size() + c.payload - 1) / c.payload);
    // Backs off under loss rather than resending blindly.
    EXPECT_LE(static_cast<double>(sim.sender().transmissions()),
              chunks * c.max_transmissions_per_chunk)
        << c.name << " seed " << seed;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Channels, LossyChannel,
    ::testing::Values(LossyCase{"clean", {}, 1200, 1 << 20, 1.0},
                      LossyCase{"loss10", {0.10, 0, 0, 5'000}, 1200, 1 << 20, 1.4},
                      LossyCase{"loss30", {0.30, 0, 0, 5'000}, 1200, 512 << 10, 2.0},
                      LossyCase{"duplicates", {0, 0.2, 0, 5'000}, 1200, 1 << 20, 1.0},
                      LossyCase{"reordered", {0, 0, 0.3, 5'000}, 1200, 1 << 20, 1.6},
                      LossyCase{"everything", {0.1, 0.05, 0.2, 5'000}, 1200, 1 << 20, 1.8},
                      LossyCase{"big_payload_loss10", {0.1, 0.02, 0.1, 1'000}, 60000, 8 << 20, 1.6},
                      LossyCase{"odd_size", {0.1, 0, 0.1, 5'000}, 1000, 123457, 1.6}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Transfer, EmptyFile) {
  const std::string data;
  Simulation sim(data, {0.1, 0, 0, 5'000});
  sim.Run();
  ExpectDelivered(sim, data);
}

TEST(Transfer, LostFinalAckAndClose) {
  const std::string data = RandomBytes(100'000, 7);
  Simulation sim(data, {});
  const uint32_t chunks = (100'000 + 1199) / 1200;
  int final_acks = 0, closes = 0;
  sim.drop = [&](Way way, const Datagram& d) {
    if (way != Way::kToSender) return false;
    if (d.type == Type::kAck && d.ack.cumulative == chunks) return final_acks++ < 2;
    if (d.type == Type::kClose) return closes++ < 2;
    return false;
  };
  sim.Run();
  ExpectDelivered(sim, data);
  EXPECT_GE(final_acks, 3);  // the sender asked again (data or FIN) and got an answer
  EXPECT_GE(closes, 3);
}

TEST(Transfer, StartLostAtFirst) {
  const std::string data = RandomBytes(50'000, 8);
  Simulation sim(data, {});
  int starts = 0;
  sim.drop = [&](Way way, const Datagram& d) {
    return way == Way::kToReceiver && d.type == Type::kStart && starts++ < 2;
  };
  sim.Run();
  ExpectDelivered(sim, data);
  EXPECT_EQ(starts, 3);
  // The first two timed out: the third was sent after 1 s + 2 s (RFC 6298 backoff).
  EXPECT_GE(sim.now(), 3'000'000);
}

TEST(Transfer, ReceiverVanishes) {
  const std::string data = RandomBytes(1 << 20, 9);
  Simulation sim(data, {});
  sim.drop = [&](Way way, const Datagram& d) {
    if (way == Way::kToReceiver && d.type == Type::kData && d.seq == 300) sim.Vanish();
    return sim.vanished();
  };
  sim.Run();
  EXPECT_EQ(sim.sender().state(), Sender::State::kFailed);
  EXPECT_EQ(sim.sender().result(), Result::kTimeout);
  ASSERT_NE(sim.receiver(), nullptr);
  EXPECT_EQ(sim.receiver()->state(), Receiver::State::kFailed);
  EXPECT_EQ(sim.receiver()->result(), Result::kTimeout);
  EXPECT_LT(sim.received().size(), data.size());
  EXPECT_GE(sim.now(), kNoProgressLimit);
  EXPECT_LT(sim.now(), kNoProgressLimit + 5'000'000);
}

TEST(Transfer, SenderVanishesBeforeStarting) {
  const std::string data = RandomBytes(10'000, 10);
  Simulation sim(data, {});
  sim.drop = [&](Way, const Datagram&) { return true; };
  sim.Run();
  EXPECT_EQ(sim.sender().result(), Result::kTimeout);
  EXPECT_EQ(sim.receiver(), nullptr);
}

TEST(Transfer, WrongHashIsNotKept) {
  const std::string data = RandomBytes(30'000, 11);
  Simulation sim(data, {0.1, 0, 0, 5'000});
  sim.tamper = [](Start* s) { s->sha256[0] ^= 1; };
  sim.Run();
  EXPECT_EQ(sim.sender().result(), Result::kHashMismatch);
  ASSERT_NE(sim.receiver(), nullptr);
  EXPECT_EQ(sim.receiver()->result(), Result::kHashMismatch);
}

TEST(Transfer, SenderCancels) {
  const std::string data = RandomBytes(1 << 20, 12);
  Simulation sim(data, {});
  sim.drop = [&](Way way, const Datagram& d) {
    if (way == Way::kToReceiver && d.type == Type::kData && d.seq == 100) sim.sender().Cancel();
    return false;
  };
  sim.Run();
  EXPECT_EQ(sim.sender().result(), Result::kCancelled);
  ASSERT_NE(sim.receiver(), nullptr);
  EXPECT_EQ(sim.receiver()->result(), Result::kCancelled);
}

TEST(Transfer, WindowShrinksUnderLoss) {
  const std::string data = RandomBytes(2 << 20, 13);
  Simulation clean(data, {});
  clean.Run();
  Simulation lossy(data, {0.3, 0, 0, 5'000});
  lossy.Run();
  ExpectDelivered(lossy, data);
  EXPECT_LT(lossy.sender().window(), clean.sender().window() / 4);
}

}  // namespace
}  // namespace caucus::p2p
