// Test doubles for the command flows: a scripted server, a prompter with
// canned answers, and a presenter that records what it was asked to show.
// For *_test.cc files only.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "client/context.h"
#include "client/input/prompter.h"
#include "client/link/caller.h"
#include "client/link/session.h"
#include "client/present/formatter.h"
#include "client/present/presenter.h"

namespace caucus::client::testing {

// 2026-11-21T19:08:00Z: tests set TZ=UTC where times are shown.
constexpr int64_t kNow = 1795288080000;

// Answers each call with the lines given for it, parsed by a real Session.
class FakeServer : public Caller {
 public:
  // The next call must send `request` (as ToLine() writes it); the server
  // answers with `lines` (data lines, then the final line; no tags). No
  // lines: the connection is lost instead.
  void Expect(std::string request, std::vector<std::string> lines) {
    script_.push_back({std::move(request), std::move(lines)});
  }

  CallResult Call(const Request& request) override {
    CallResult result;
    const std::string line = ToLine(request);
    sent_.push_back(line);
    if (script_.empty()) {
      ADD_FAILURE() << "unexpected request: " << line;
      return result;
    }
    auto [want, lines] = script_.front();
    script_.pop_front();
    EXPECT_EQ(line, want);
    if (lines.empty()) return result;
    std::string out;
    const std::string tag = session_.Submit(request, &out);
    for (const auto& l : lines) {
      Received r = session_.Receive("@" + tag + " " + l);
      if (r.kind == Received::Kind::kReply) {
        result.status = CallResult::Status::kOk;
        result.reply = std::move(r.reply);
      }
    }
    EXPECT_TRUE(result.answered()) << "no final line for " << line;
    return result;
  }

  bool done() const { return script_.empty(); }
  const std::vector<std::string>& sent() const { return sent_; }

 private:
  struct Step {
    std::string request;
    std::vector<std::string> lines;
  };
  std::deque<Step> script_;
  std::vector<std::string> sent_;
  Session session_;
};

// Answers questions from a list; gives up (nullopt) when it runs out.
class FakePrompter : public Prompter {
 public:
  explicit FakePrompter(std::vector<std::string> answers = {})
      : answers_(answers.begin(), answers.end()) {}
  std::optional<std::string> Ask(std::string_view question) override {
    questions_.emplace_back(question);
    if (answers_.empty()) return std::nullopt;
    std::string a = answers_.front();
    answers_.pop_front();
    return a;
  }
  std::optional<std::string> AskSecret(std::string_view question) override { return Ask(question); }
  const std::vector<std::string>& questions() const { return questions_; }
  bool done() const { return answers_.empty(); }

 private:
  std::deque<std::string> answers_;
  std::vector<std::string> questions_;
};

// Records everything shown, as the plain text people would read, one entry
// per call: "error: ...", "* notice", or the text itself.
class RecordingPresenter : public Presenter {
 public:
  RecordingPresenter() : formatter_(Style(false), [] { return kNow; }) {}
  void ShowReply(const Request& request, const Reply& reply) override {
    shown_.push_back(formatter_.Reply(request, reply));
  }
  void ShowEvent(const Line& event) override { shown_.push_back(formatter_.Event(event)); }
  void Info(std::string_view text) override { shown_.push_back(formatter_.Notice(text)); }
  void Text(std::string_view text) override { shown_.emplace_back(text); }
  void Error(std::string_view text) override { shown_.push_back(formatter_.Error(text)); }

  const std::vector<std::string>& shown() const { return shown_; }
  // Everything shown, one entry per line.
  std::string All() const {
    std::string all;
    for (const auto& s : shown_) all += s + "\n";
    return all;
  }

 private:
  Formatter formatter_;
  std::vector<std::string> shown_;
};

// A Context over the fakes, for a person at a terminal by default.
struct FakeWorld {
  FakeServer server;
  FakePrompter prompter;
  RecordingPresenter out;
  Roster roster;
  Context ctx{server,
              out,
              prompter,
              roster,
              [] { return kNow; },
              true,
              Endpoint{"localhost", 5545, false, {}},
              nullptr,
              nullptr,
              Account{}};
  explicit FakeWorld(std::vector<std::string> answers = {}) : prompter(std::move(answers)) {}
};

}  // namespace caucus::client::testing
