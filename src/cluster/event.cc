#include "cluster/event.h"

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

namespace caucus::cluster {

namespace {

struct Verb {
  Event::Kind kind;
  std::string_view name;
  int numbers;  // words after node and incarnation
  bool lines;   // followed by " :<lines>"
};

constexpr std::array<Verb, 18> kVerbs = {{
    {Event::Kind::kAttach, "ATTACH", 4, false},
    {Event::Kind::kDetach, "DETACH", 2, false},
    {Event::Kind::kPorts, "PORTS", 3, false},
    {Event::Kind::kSessions, "SESSIONS", 1, true},
    {Event::Kind::kHello, "HELLO", 1, false},
    {Event::Kind::kChanged, "CHANGED", 0, false},
    {Event::Kind::kDeliver, "DELIVER", 2, true},
    {Event::Kind::kForward, "FORWARD", 2, true},
    {Event::Kind::kHanded, "HANDED", 1, false},
    {Event::Kind::kBroadcast, "BCAST", 1, true},
    {Event::Kind::kKick, "KICK", 2, false},
    {Event::Kind::kLockout, "LOCKOUT", 4, true},
    {Event::Kind::kInvite, "INVITE", 2, true},
    {Event::Kind::kAnswer, "ANSWER", 0, true},
    {Event::Kind::kUninvite, "UNINVITE", 1, true},
    {Event::Kind::kSync, "SYNC", 1, false},
    {Event::Kind::kAck, "ACK", 1, false},
    {Event::Kind::kGone, "GONE", 0, true},
}};

const Verb* VerbOf(Event::Kind kind) {
  for (const Verb& v : kVerbs) {
    if (v.kind == kind) return &v;
  }
  return nullptr;
}

// The numbers of each verb, in order, as fields of Event.
std::vector<int64_t*> Fields(Event& e, int64_t& session) {
  switch (e.kind) {
    case Event::Kind::kAttach:
      return {&e.account, &session, &e.login_ms, &e.number};
    case Event::Kind::kDetach:
      return {&e.account, &session};
    case Event::Kind::kPorts:
      return {&e.account, &session, &e.number};
    case Event::Kind::kDeliver:
    case Event::Kind::kForward:
      return {&e.account, &e.number};
    case Event::Kind::kBroadcast:
      return {&e.account};
    case Event::Kind::kKick:
      return {&e.account, &e.number};
    case Event::Kind::kLockout:
      return {&e.account, &e.number, &e.until_ms, &e.last_ms};
    case Event::Kind::kInvite:
      return {&e.account, &e.number};
    case Event::Kind::kUninvite:
      return {&e.account};
    case Event::Kind::kHello:
    case Event::Kind::kSessions:
    case Event::Kind::kHanded:
    case Event::Kind::kSync:
    case Event::Kind::kAck:
      return {&e.number};
    default:
      return {};
  }
}

bool ParseInt(std::string_view word, int64_t* out) {
  if (word.empty()) return false;
  const auto r = std::from_chars(word.data(), word.data() + word.size(), *out);
  return r.ec == std::errc() && r.ptr == word.data() + word.size();
}

// Splits off the next space-separated word of `rest`.
std::string_view NextWord(std::string_view& rest) {
  const size_t end = rest.find(' ');
  std::string_view word = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return word;
}

}  // namespace

bool IsNodeId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

std::string Encode(const Event& e) {
  const Verb* v = VerbOf(e.kind);
  std::string out(v->name);
  out += ' ';
  out += e.node;
  out += ' ';
  out += e.incarnation;
  Event copy = e;
  int64_t session = static_cast<int64_t>(e.session);
  for (int64_t* f : Fields(copy, session)) {
    out += ' ';
    out += std::to_string(*f);
  }
  if (v->lines) {
    out += " :";
    out += e.lines;
  }
  return out;
}

std::optional<Event> Decode(std::string_view text) {
  std::string_view rest = text;
  const std::string_view name = NextWord(rest);
  const Verb* verb = nullptr;
  for (const Verb& v : kVerbs) {
    if (v.name == name) verb = &v;
  }
  if (verb == nullptr) return std::nullopt;
  Event e;
  e.kind = verb->kind;
  e.node = std::string(NextWord(rest));
  e.incarnation = std::string(NextWord(rest));
  if (!IsNodeId(e.node) || !IsNodeId(e.incarnation)) return std::nullopt;
  int64_t session = 0;
  for (int64_t* f : Fields(e, session)) {
    if (!ParseInt(NextWord(rest), f)) return std::nullopt;
  }
  if (session < 0) return std::nullopt;
  e.session = static_cast<uint64_t>(session);
  if (verb->lines) {
    if (rest.empty() || rest.front() != ':') return std::nullopt;
    e.lines = std::string(rest.substr(1));
  } else if (!rest.empty()) {
    return std::nullopt;
  }
  return e;
}

std::string EncodeSessions(const std::vector<SessionEntry>& sessions) {
  std::string out;
  for (const SessionEntry& s : sessions) {
    if (!out.empty()) out += ' ';
    out += std::to_string(s.account);
    out += ',';
    out += std::to_string(s.session);
    out += ',';
    out += std::to_string(s.login_ms);
    out += ',';
    out += std::to_string(s.p2p_tcp);
  }
  return out;
}

std::optional<std::vector<SessionEntry>> DecodeSessions(std::string_view text) {
  std::vector<SessionEntry> out;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::string_view entry = NextWord(rest);
    int64_t fields[4];
    for (int i = 0; i < 4; ++i) {
      const size_t comma = i < 3 ? entry.find(',') : entry.size();
      if (comma == std::string_view::npos || !ParseInt(entry.substr(0, comma), &fields[i])) {
        return std::nullopt;
      }
      entry = comma < entry.size() ? entry.substr(comma + 1) : std::string_view();
    }
    if (fields[1] < 0) return std::nullopt;
    out.push_back({fields[0], static_cast<uint64_t>(fields[1]), fields[2], fields[3]});
  }
  return out;
}

}  // namespace caucus::cluster
