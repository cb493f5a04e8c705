#include "cli/poll_cli.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/cli_support.h"
#include "core/clock.h"
#include "core/poll_rules.h"
#include "core/text.h"
#include "protocol/json_string.h"
#include "protocol/names.h"
#include "protocol/wire_time.h"
#include "store/await.h"

namespace caucus::cli {

using server::ServerOptions;

using store::Await;
using store::PollState;

namespace {

struct CreateArgs {
  std::string title;
  std::vector<std::string> options;
  std::string candidates;  // file, one option per line
  std::string opens = "-";
  std::string closes;
  int64_t duration = 0;
  std::string flags = "-";
  std::vector<std::string> roll;
  std::string voters;  // file, 'name password' per line
  bool open_now = false;
};

int Fail(const std::string& why) {
  std::cerr << "caucusd: " << why << "\n";
  return 1;
}

const char* StateName(PollState s) {
  return s == PollState::kUpcoming ? "upcoming" : s == PollState::kOpen ? "open" : "closed";
}

std::string TimeText(store::TimeMs t) { return t ? protocol::FormatTime(t) : "-"; }

// Reads non-blank lines of a file; false if it cannot be read.
bool ReadLines(const std::string& path, std::vector<std::string>* lines) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) lines->push_back(line);
  }
  return true;
}

// The names on the voter roll: --roll names, and the names of a voters file
// ('name password' per line: unknown names become accounts with that
// password, through the domain). Prints what it skips; false on a fatal
// problem.
bool RollNames(DomainRunner& domain, const CreateArgs& a, std::vector<std::string>* names) {
  *names = a.roll;
  if (a.voters.empty()) return true;
  std::vector<std::string> lines;
  if (!ReadLines(a.voters, &lines)) {
    std::cerr << "caucusd: cannot read " << a.voters << "\n";
    return false;
  }
  for (const auto& line : lines) {
    std::string name, password;
    if (!ParseAccountLine(line, &name, &password)) {
      std::cerr << a.voters << ": skipped a malformed line (expected 'name password')\n";
      continue;
    }
    if (domain.caucus().world().directory.Find(name) == nullptr) {
      if (auto why = CreateAccount(domain, name, password, false); !why.empty()) {
        std::cerr << a.voters << ": skipped " << name << ": " << why << "\n";
        continue;
      }
      std::cout << "created account " << name << "\n";
    }
    names->push_back(name);
  }
  return true;
}

// Why POLLCREATE's checks refused the command line's poll, for a person.
std::string CreateRefusal(const core::Failure& f, const ServerOptions& o) {
  if (f.code == protocol::Code::kBadArguments) {
    return "--title, --opens, --closes or --flags: the title is not empty; opens is '-' or a "
           "future RFC 3339 time; closes is a later "
           "RFC 3339 time or +SECONDS; flags is '-' or a set of live, vote-password, "
           "results-password, revote, roll, choices=N";
  }
  if (f.code == protocol::Code::kTooLong) {
    return "--title: 1 to " + std::to_string(o.core.max_text) + " bytes of text";
  }
  return FailureText(f);
}

int Create(const ServerOptions& o, CreateArgs a) {
  if (!a.candidates.empty() && !ReadLines(a.candidates, &a.options)) {
    return Fail("cannot read " + a.candidates);
  }
  if (a.duration > 0) a.closes = "+" + std::to_string(a.duration);
  if (a.closes.empty()) return Fail("give --closes TIME, --closes +SECONDS or --duration SECONDS");
  if (!a.roll.empty() || !a.voters.empty()) a.flags = a.flags == "-" ? "roll" : a.flags + ",roll";

  // The same checks and steps as POLLCREATE, POLLOPTION, POLLROLL and
  // POLLOPEN; a poll that fails half-way is deleted again.
  auto domain = DomainRunner::Open(o);
  if (!domain) return 1;
  auto& polls = domain->caucus().polls();
  auto id = domain->Run<std::string>(
      [&](auto done) { polls.Create(kOperator, a.opens, a.closes, a.flags, a.title, done); });
  if (!id.ok()) return Fail(CreateRefusal(id.failure(), o));
  auto undo = [&](const std::string& why) {
    domain->Run<core::Ok>([&](auto done) { polls.Delete(kOperator, id.value(), done); });
    return Fail(why);
  };
  for (const auto& label : a.options) {
    auto n =
        domain->Run<int>([&](auto done) { polls.AddOption(kOperator, id.value(), label, done); });
    if (!n.ok()) return undo("option '" + label + "': " + FailureText(n.failure()));
  }
  std::vector<std::string> roll;
  if (!RollNames(*domain, a, &roll)) return undo("no poll created");
  if (!roll.empty()) {
    auto eligible = domain->Run<int64_t>(
        [&](auto done) { polls.AddToRoll(kOperator, id.value(), roll, done); });
    if (!eligible.ok()) return undo("--roll: " + FailureText(eligible.failure()));
  }
  std::cout << "created " << id.value() << "\n";
  if (!a.open_now) return 0;
  auto closes =
      domain->Run<core::TimeMs>([&](auto done) { polls.Open(kOperator, id.value(), done); });
  if (!closes.ok()) return Fail("not opened: " + FailureText(closes.failure()));
  std::cout << "opened " << id.value() << " until " << TimeText(closes.value()) << "\n";
  return 0;
}

// Loads one poll; prints why not.
std::optional<store::PollRecord> Load(store::Store& s, const std::string& id) {
  auto p = Await<store::PollRecord>([&](auto d) { s.LoadPoll(id, d); });
  if (p.status().not_found()) {
    std::cerr << "caucusd: no poll " << id << "\n";
    return std::nullopt;
  }
  if (!p.ok()) {
    std::cerr << "caucusd: " << p.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(*p);
}

int List(const ServerOptions& o) {
  auto s = OpenCliStore(o);
  if (!s) return 1;
  auto polls = Await<std::vector<store::PollRecord>>([&](auto d) { s->LoadPolls(d); });
  if (!polls.ok()) return Fail(polls.status().message());
  for (const auto& p : *polls) {
    std::cout << p.id << " " << StateName(p.state) << " opens " << TimeText(p.opens_ms)
              << " closes "
              << (p.closes_ms ? TimeText(p.closes_ms) : "+" + std::to_string(p.close_after_s) + "s")
              << " voted " << p.voted.size() << " flags " << p.flags << " : " << p.title << "\n";
  }
  return 0;
}

// caucusd poll open|close: POLLOPEN's and POLLCLOSE's domain code.
int SetOpen(const ServerOptions& o, const std::string& id, bool open) {
  auto domain = DomainRunner::Open(o);
  if (!domain) return 1;
  auto& polls = domain->caucus().polls();
  if (open) {
    auto closes = domain->Run<core::TimeMs>([&](auto done) { polls.Open(kOperator, id, done); });
    if (!closes.ok()) return Fail(id + ": " + FailureText(closes.failure()));
    std::cout << "opened " << id << " until " << TimeText(closes.value()) << "\n";
    return 0;
  }
  auto ballots = domain->Run<int64_t>([&](auto done) { polls.Close(kOperator, id, done); });
  if (!ballots.ok()) return Fail(id + ": " + FailureText(ballots.failure()));
  std::cout << "closed " << id << " (" << ballots.value() << " ballots)\n";
  return 0;
}

struct Counted {
  store::PollRecord poll;
  store::Tallies tallies;
  int64_t eligible = 0;
};

std::optional<Counted> Count(store::Store& s, const std::string& id) {
  auto p = Load(s, id);
  if (!p) return std::nullopt;
  auto t =
      Await<store::Tallies>([&](auto d) { s.Tally(id, static_cast<int>(p->options.size()), d); });
  auto accounts = Await<std::vector<store::AccountRecord>>([&](auto d) { s.LoadAccounts(d); });
  if (!t.ok() || !accounts.ok()) {
    std::cerr << "caucusd: cannot count the ballots\n";
    return std::nullopt;
  }
  const bool roll = core::ParsePollFlags(p->flags).value_or(core::PollFlags{}).roll;
  const int64_t eligible = static_cast<int64_t>(roll ? p->roll.size() : accounts->size());
  return Counted{std::move(*p), std::move(*t), eligible};
}

int Results(const ServerOptions& o, const std::string& id) {
  auto s = OpenCliStore(o);
  if (!s) return 1;
  auto c = Count(*s, id);
  if (!c) return 1;
  std::cout << c->poll.id << " " << StateName(c->poll.state) << ": " << c->poll.title << "\n";
  for (size_t i = 0; i < c->poll.options.size(); ++i) {
    std::cout << "  " << (i + 1) << ". " << c->poll.options[i] << ": " << c->tallies.votes[i]
              << "\n";
  }
  std::cout << c->tallies.ballots << " ballots, " << c->eligible << " eligible\n";
  return 0;
}

int Export(const ServerOptions& o, const std::string& id, const std::string& out_dir) {
  auto s = OpenCliStore(o);
  if (!s) return 1;
  auto c = Count(*s, id);
  if (!c) return 1;
  if (c->poll.state != PollState::kClosed) {
    return Fail(id + " is not closed: its ballots are exported once it closes");
  }
  auto ballots = Await<std::vector<store::ExportedBallot>>([&](auto d) { s->Ballots(id, d); });
  if (!ballots.ok()) return Fail(ballots.status().message());
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  const std::string base = out_dir + "/" + id;

  auto choices = [](const std::vector<int>& cs, char sep) {
    std::string out;
    for (int c : cs) out += (out.empty() ? "" : std::string(1, sep)) + std::to_string(c);
    return out;
  };
  {
    std::ofstream csv(base + "-ballots.csv");
    csv << "receipt,choices\n";
    for (const auto& b : *ballots) csv << b.receipt << "," << choices(b.choices, ' ') << "\n";
  }
  {
    std::ofstream csv(base + "-tally.csv");
    csv << "option,label,votes\n";
    for (size_t i = 0; i < c->poll.options.size(); ++i) {
      csv << (i + 1) << "," << protocol::JsonString(c->poll.options[i]) << ","
          << c->tallies.votes[i] << "\n";
    }
  }
  {
    std::ofstream json(base + ".json");
    json << "{\"poll\":" << protocol::JsonString(id)
         << ",\"title\":" << protocol::JsonString(c->poll.title)
         << ",\"opens\":" << protocol::JsonString(TimeText(c->poll.opens_ms))
         << ",\"closes\":" << protocol::JsonString(TimeText(c->poll.closes_ms))
         << ",\"ballots\":" << c->tallies.ballots << ",\"eligible\":" << c->eligible
         << ",\"options\":[";
    for (size_t i = 0; i < c->poll.options.size(); ++i) {
      json << (i ? "," : "") << "{\"n\":" << (i + 1)
           << ",\"label\":" << protocol::JsonString(c->poll.options[i])
           << ",\"votes\":" << c->tallies.votes[i] << "}";
    }
    json << "],\"receipts\":[";
    for (size_t i = 0; i < ballots->size(); ++i) {
      const auto& b = (*ballots)[i];
      json << (i ? "," : "") << "{\"receipt\":" << protocol::JsonString(b.receipt)
           << ",\"choices\":[" << choices(b.choices, ',') << "]}";
    }
    json << "]}\n";
  }
  std::cout << "wrote " << base << "-ballots.csv, " << base << "-tally.csv and " << base
            << ".json (" << ballots->size() << " ballots)\n";
  return 0;
}

}  // namespace

void AddPollCommands(CLI::App& app, ServerOptions* o, std::function<int()>* run) {
  auto* poll = app.add_subcommand("poll", "Create, open, close, count and export polls");
  poll->require_subcommand(1);
  poll->fallthrough();

  auto args = std::make_shared<CreateArgs>();
  auto* create = poll->add_subcommand("create", "Create a poll");
  create->add_option("--title", args->title, "The question")->required();
  create->add_option("--option", args->options, "An option (repeatable, in order)");
  create->add_option("--candidates", args->candidates, "A file of options, one per line");
  create->add_option("--opens", args->opens, "RFC 3339 time it opens, or - to open by hand");
  create->add_option("--closes", args->closes,
                     "RFC 3339 time it closes, or +SECONDS after opening");
  create->add_option("--duration", args->duration, "Seconds it stays open (same as --closes +S)")
      ->check(CLI::Range(int64_t{1}, int64_t{10} * 366 * 86400));
  create->add_option(
      "--flags", args->flags,
      "- or a set of live, vote-password, results-password, revote, roll, choices=N");
  create->add_option("--roll", args->roll, "An account on the voter roll (repeatable)");
  create->add_option("--voters", args->voters,
                     "A voters file, 'name password' per line: unknown names become accounts");
  create->add_flag("--open", args->open_now, "Open it at once");
  create->fallthrough();
  create->callback([=] { *run = [=] { return Create(*o, *args); }; });

  auto id = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>(".");
  auto* list = poll->add_subcommand("list", "List every poll");
  list->fallthrough();
  list->callback([=] { *run = [=] { return List(*o); }; });

  struct One {
    const char* name;
    const char* help;
    std::function<int(const ServerOptions&, const std::string&)> fn;
  };
  for (const One& c : {
           One{"open", "Open a poll now", [](auto&o, auto&id) { return SetOpen(o, id, true); }},
           One{"close", "Close a poll now", [](auto&o, auto&id) { return SetOpen(o, id, false); }},
           One{"results", "Print a poll's tallies (any time: this is the operator)", Results},
       }) {
    auto* sub = poll->add_subcommand(c.name, c.help);
    sub->add_option("ID", *id, "Poll id, e.g. p3")->required();
    sub->fallthrough();
    auto fn = c.fn;
    sub->callback([=] { *run = [=] { return fn(*o, *id); }; });
  }
  auto* exp = poll->add_subcommand(
      "export", "Write a closed poll's ballots (receipt, choices) and tally as CSV and JSON");
  exp->add_option("ID", *id, "Poll id, e.g. p3")->required();
  exp->add_option("--out", *out, "Directory to write ID-ballots.csv, ID-tally.csv, ID.json");
  exp->fallthrough();
  exp->callback([=] { *run = [=] { return Export(*o, *id, *out); }; });
}

}  // namespace caucus::cli
