#include "client/present/formatter.h"

#include <fmt/format.h>

#include <algorithm>

#include "client/present/error_text.h"
#include "client/present/time_text.h"
#include "protocol/names.h"
#include "protocol/wire_time.h"

namespace caucus::client {
namespace {

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

std::string Padded(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

int64_t Number(const std::string& text) {
  int64_t n = 0;
  protocol::ParseCount(text, &n);
  return n;
}

std::string People(int64_t n) { return std::to_string(n) + (n == 1 ? " person" : " people"); }

}  // namespace

std::string Formatter::When(const std::string& wire) const {
  return fmt::format("[{}]", WireLocalTime(wire, now_()));
}

std::string Formatter::Error(std::string_view text) const {
  return style_.Paint(Tone::kError, "error: " + std::string(text));
}

std::string Formatter::Notice(std::string_view text) const {
  return style_.Paint(Tone::kNotice, "* " + std::string(text));
}

// MSG <id> <time> <from> dm|broadcast :<text>
std::string Formatter::Message(const Line& m) const {
  const bool direct = m.Param(3) == "dm";
  const std::string head =
      When(m.Param(1)) + " " + m.Param(2) + (direct ? " -> you:" : " -> everyone:");
  return style_.Paint(direct ? Tone::kDirect : Tone::kBroadcast, head) + " " + m.Param(4);
}

std::string Formatter::Event(const Line& e) const {
  if (e.verb == "MSG") return Message(e);
  if (e.verb == "PRESENCE") {
    const bool online = e.Param(1) == "online";
    return style_.Paint(Tone::kNotice, When(e.Param(2)) + " * " + e.Param(0) +
                                           (online ? " is online" : " went offline"));
  }
  if (e.verb == "POLL") {
    const std::string& id = e.Param(0);
    const bool open = e.Param(1) == "open";
    return style_.Paint(Tone::kNotice, When(e.Param(2)) + " * poll " + id +
                                           (open ? " is open: " : " closed: ") + e.Param(3) +
                                           (open ? " (vote " : " (results ") + id + ")");
  }
  if (e.verb == "BYE") return Notice("disconnected: " + ByeMessage(e.Param(0), e.Param(1)));
  if (e.verb == "HELLO") return "connected to " + e.Param(1) + " (" + e.Param(0) + ")";
  if (e.verb == "POSTED") return Posted(e);
  std::string raw = e.verb;
  for (const auto& p : e.params) raw += " " + p;
  return Notice(raw);
}

// POSTED <n> new|edited|deleted <time> <name> [:<text>] (WATCH board)
std::string Formatter::Posted(const Line& e) const {
  const std::string& change = e.Param(1);
  const std::string head = "[" + WireLocalTimeSeconds(e.Param(2), now_()) + "] * ";
  if (change == "deleted") {
    return style_.Paint(Tone::kNotice, head + e.Param(3) + " deleted post #" + e.Param(0));
  }
  return style_.Paint(Tone::kNotice, head + e.Param(3) +
                                         (change == "edited" ? " edited post #" : " posted #") +
                                         e.Param(0) + ":") +
         " " + e.Param(4);
}

std::string Formatter::Who(const client::Reply& r) const {
  if (r.data.empty()) return "nobody else is online";
  size_t width = 0;
  for (const auto& u : r.data) width = std::max(width, u.Param(0).size());
  std::vector<std::string> lines;
  for (const auto& u : r.data) {
    const std::string since = WireLocalTime(u.Param(1), now_());
    std::string s = "  " + Padded(u.Param(0), width + 2);
    s += u.Param(2) == "online" ? "online since " + since : "offline, last login " + since;
    if (u.Param(3) == "p2p") s += ", takes direct connections";
    lines.push_back(std::move(s));
  }
  return Join(lines);
}

// BOARD <n> <time> <author> <edited-time|-> :<text>
std::string Formatter::Board(const client::Reply& r, bool since) const {
  if (r.data.empty()) return since ? "no new or edited posts" : "the board is empty";
  std::vector<std::string> lines;
  for (const auto& p : r.data) {
    // To the second: `edit N TIME TEXT` and `delete N TIME` take these back.
    std::string s = "#" + p.Param(0) + " [" + WireLocalTimeSeconds(p.Param(1), now_()) + "] " +
                    p.Param(2) + ": " + p.Param(4);
    if (p.Param(3) != "-") {
      s += style_.Paint(Tone::kNotice,
                        " (edited [" + WireLocalTimeSeconds(p.Param(3), now_()) + "])");
    }
    lines.push_back(std::move(s));
  }
  return Join(lines);
}

// DM <id> <time> <from> <to> :<text>, oldest first
std::string Formatter::History(const client::Reply& r) const {
  if (r.data.empty()) return "no direct messages with " + r.Param(0);
  std::vector<std::string> lines;
  for (const auto& m : r.data) {
    lines.push_back(When(m.Param(1)) + " " + m.Param(2) + " -> " + m.Param(3) + ": " + m.Param(4));
  }
  return Join(lines);
}

// POLLINFO <id> upcoming|open|closed <opens> <closes> <voted> :<title>
std::string Formatter::PollState(const Line& info) const {
  const std::string& state = info.Param(1);
  std::string s = state;
  if (state == "open") {
    if (info.Param(3) != "-") s += ", closes " + WireLocalTime(info.Param(3), now_());
  } else if (state == "upcoming") {
    s += info.Param(2) == "-" ? ", opens when an admin opens it"
                              : fmt::format(", opens {}", WireLocalTime(info.Param(2), now_()));
  } else if (state == "closed") {
    s += fmt::format(" {}", WireLocalTime(info.Param(3), now_()));
  }
  if (info.Param(4) == "1") s += ", you voted";
  return s;
}

std::string Formatter::Polls(const client::Reply& r) const {
  if (r.data.empty()) return "no polls";
  size_t width = 0;
  for (const auto& p : r.data) width = std::max(width, p.Param(0).size());
  std::vector<std::string> lines;
  for (const auto& p : r.data) {
    lines.push_back("  " + Padded(p.Param(0), width + 2) + p.Param(5) + " (" + PollState(p) + ")");
  }
  return Join(lines);
}

std::string Formatter::PollInfo(const client::Reply& r) const {
  std::vector<std::string> lines;
  for (const auto& d : r.data) {
    if (d.verb == "POLLINFO") {
      lines.push_back("Poll " + d.Param(0) + ": " + style_.Paint(Tone::kStrong, d.Param(5)) + " (" +
                      PollState(d) + ")");
    } else if (d.verb == "OPTION") {
      lines.push_back("  " + d.Param(1) + ". " + d.Param(2));
    }
  }
  return Join(lines);
}

// TALLY <id> <n> <votes> :<label> ..., then OK RESULTS <id> <ballots> <eligible>
std::string Formatter::Results(const client::Reply& r) const {
  const int64_t ballots = Number(r.Param(1));
  std::vector<std::string> lines = {"Results of poll " + r.Param(0) + ": " +
                                    std::to_string(ballots) + " of " + r.Param(2) +
                                    " voters voted"};
  int64_t top = 0;
  size_t width = 0;
  for (const auto& t : r.data) {
    top = std::max(top, Number(t.Param(2)));
    width = std::max(width, t.Param(3).size());
  }
  for (const auto& t : r.data) {
    const int64_t votes = Number(t.Param(2));
    std::string s =
        "  " + t.Param(1) + ". " + Padded(t.Param(3), width + 2) + Padded(std::to_string(votes), 5);
    if (ballots > 0) s += Padded(std::to_string(votes * 100 / ballots) + "%", 6);
    s += std::string(top > 0 ? static_cast<size_t>(votes * 30 / top) : 0, '#');
    if (votes == top && top > 0) s = style_.Paint(Tone::kStrong, s);
    lines.push_back(std::move(s));
  }
  return Join(lines);
}

std::string Formatter::Reply(const Request& request, const client::Reply& r) const {
  if (!r.ok) {
    std::string message = ErrorMessage(r, now_(), rules_);
    if (r.code == "TOO_LONG" && request.text) {
      message += " (that one is " + std::to_string(request.text->size()) + " bytes)";
    }
    return Error(message);
  }
  const std::string& v = r.verb;
  if (v == "WHO") return Who(r);
  if (v == "SEND") {
    const std::string& to = request.words.empty() ? std::string("them") : request.words[0];
    return r.Param(2) == "stored" ? to + " is offline: the message waits for their next login"
                                  : "sent to " + to;
  }
  if (v == "BROADCAST") {
    const int64_t delivered = Number(r.Param(2));
    const int64_t withheld = Number(r.Param(3));
    std::string s = delivered == 0 ? "nobody received it" : "sent to " + People(delivered);
    if (withheld > 0) s += " (" + People(withheld) + " who blocked you did not get it)";
    return s;
  }
  if (v == "BLOCK") {
    return "blocked " + r.Param(0) + ": no messages from them, and they no longer see you";
  }
  if (v == "UNBLOCK") return "unblocked " + r.Param(0);
  if (v == "BLOCKS") {
    if (r.data.empty()) return "you block nobody";
    std::string s = "you block:";
    for (const auto& b : r.data) s += " " + b.Param(0);
    return s;
  }
  if (v == "HISTORY") return History(r);
  if (v == "POST") return "posted #" + r.Param(0);
  if (v == "EDIT") return "edited #" + r.Param(0);
  if (v == "DELETE") return "deleted #" + r.Param(0);
  if (v == "READ") return Board(r, !request.words.empty());
  if (v == "POLLS") return Polls(r);
  if (v == "POLLINFO") return PollInfo(r);
  if (v == "RESULTS") return Results(r);
  if (v == "VOTE") {
    return "vote recorded; receipt " + style_.Paint(Tone::kStrong, r.Param(1)) + " (verify " +
           r.Param(0) + " " + r.Param(1) + " checks it)";
  }
  if (v == "VERIFY") {
    const bool several = r.Param(1).find(',') != std::string::npos;
    return "the ballot with that receipt counts for option" + std::string(several ? "s " : " ") +
           r.Param(1) + " of poll " + r.Param(0);
  }
  if (v == "PASSWORD") return "password changed";
  if (v == "LOGOUT") return "logged out";
  std::string s = "ok";
  for (const auto& p : r.params) s += " " + p;
  return s;
}

}  // namespace caucus::client
