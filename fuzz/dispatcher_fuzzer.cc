// libFuzzer harness: whole command lines through the real dispatcher, the
// domain and a real SQLite store (in a temporary directory), for two
// sessions at once.
//
// Input: a sequence of chunks, each [session byte][length byte][bytes];
// the bytes go to that session's line framer. The oracle: every line that
// is not empty gets exactly one final reply (OK or ERR) until the session
// is told BYE, whatever the bytes.
#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "core/caucus.h"
#include "core/secrets.h"
#include "protocol/command.h"
#include "session/client_session.h"
#include "session/session_host.h"
#include "store/file_key_vault.h"
#include "store/testing/temp_store.h"

namespace {

using namespace caucus;

// Hashes cheaply (a fuzzer cannot wait for Argon2id), answering later like
// the real pool.
class QuickHasher : public core::PasswordHasher {
 public:
  explicit QuickHasher(std::deque<std::function<void()>>& later) : later_(later) {}
  static std::string Of(const std::string& pw) { return "quick:" + core::HashToken(pw); }
  void Hash(std::string pw, std::function<void(std::optional<std::string>)> done) override {
    later_.push_back([pw, done] { done(Of(pw)); });
  }
  void Verify(std::string hash, std::string pw,
              std::function<void(core::Verification)> done) override {
    later_.push_back([hash, pw, done] { done({hash == Of(pw), false}); });
  }

 private:
  std::deque<std::function<void()>>& later_;
};

class NoTimers : public core::Scheduler {
 public:
  TimerId At(core::TimeMs, std::function<void()>) override { return ++next_; }
  void Cancel(TimerId) override {}

 private:
  TimerId next_ = 0;
};

class Host : public session::SessionHost {
 public:
  Host(core::Caucus& c, std::deque<std::function<void()>>& later) : caucus_(c), later_(later) {}
  core::Caucus& caucus() override { return caucus_; }
  const session::SessionLimits& limits() const override { return limits_; }
  void Post(std::function<void()> fn) override { later_.push_back(std::move(fn)); }
  void Opened(session::ClientSession*) override {}
  void Closed(session::ClientSession*) override {}
  void LoggedIn(session::ClientSession*) override {}
  void Active(session::ClientSession*) override {}

 private:
  core::Caucus& caucus_;
  session::SessionLimits limits_;
  std::deque<std::function<void()>>& later_;
};

// Collects what the server writes, and counts final replies.
class Wire : public net::Transport {
 public:
  void Send(const protocol::SharedLine& bytes) override {
    if (closed) return;
    std::string_view v = bytes.view();
    while (!v.empty()) {
      const size_t lf = v.find('\n');
      std::string_view line = v.substr(0, lf);
      if (!line.empty() && line[0] == '@')
        line.remove_prefix(std::min(line.size(), line.find(' ') + 1));
      if (line.substr(0, 3) == "OK " || line.substr(0, 4) == "ERR ") ++finals;
      if (line.substr(0, 4) == "BYE ") said_bye = true;
      v.remove_prefix(lf == std::string_view::npos ? v.size() : lf + 1);
    }
  }
  size_t Queued() const override { return 0; }
  void CloseAfterFlush() override { closed = true; }
  void Abort(const protocol::SharedLine& last) override {
    Send(last);
    closed = true;
  }
  void Close() override { closed = true; }
  void ResumeInput() override {}

  size_t finals = 0;
  bool said_bye = false;
  bool closed = false;
};

struct Client {
  Wire wire;
  std::shared_ptr<session::ClientSession> session;
  protocol::LineFramer framer{512};
  size_t expected = 0;  // lines that must be answered
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  core::InitSecrets();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::deque<std::function<void()>> later;
  store::testing::TempStore store;
  core::Config config;
  config.max_text = 200;
  QuickHasher hasher(later);
  core::SystemClock clock;
  NoTimers timers;
  core::Caucus caucus(config, store.store(), hasher, clock, timers, store.keys());
  caucus.world().directory.Upsert({1, "root", true, 0, 0});
  store.store().CreateAccount({"root", QuickHasher::Of("root-password"), true, 0}, nullptr);
  Host host(caucus, later);

  auto settle = [&] {
    while (true) {
      store.Pump();
      if (later.empty()) return;
      while (!later.empty()) {
        auto fn = std::move(later.front());
        later.pop_front();
        fn();
      }
    }
  };

  Client clients[2];
  for (int i = 0; i < 2; ++i) {
    clients[i].session = std::make_shared<session::ClientSession>(host, i + 1, "127.0.0.1");
    clients[i].session->OnOpen(&clients[i].wire);
  }
  size_t at = 0;
  while (at + 2 <= size) {
    Client& c = clients[data[at] & 1];
    const size_t n = std::min<size_t>(data[at + 1], size - at - 2);
    c.framer.Append(std::string_view(reinterpret_cast<const char*>(data) + at + 2, n));
    at += 2 + n;
    for (auto f = c.framer.Next(); f.kind != protocol::LineFramer::Kind::kNone;
         f = c.framer.Next()) {
      if (c.wire.closed) continue;
      protocol::Command cmd;
      const bool answered = f.kind == protocol::LineFramer::Kind::kTooLong ||
                            protocol::ParseCommand(f.line, &cmd) != protocol::ParseStatus::kEmpty;
      if (answered) ++c.expected;
      const std::string line(f.line);  // the frame's view dies with the next Append
      protocol::LineFramer::Frame frame{f.kind, line};
      c.session->OnFrame(frame);
      settle();
    }
    c.framer.Compact();
  }
  for (auto& c : clients) {
    // Until a BYE, every line was answered exactly once.
    if (!c.wire.said_bye && c.wire.finals != c.expected) std::abort();
    if (c.wire.finals > c.expected) std::abort();
    c.session->OnClosed();
  }
  settle();
  return 0;
}
