#include "cli/admin_cli.h"

#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "cli/cli_support.h"
#include "cli/poll_cli.h"
#include "cli/store_cli.h"
#include "cli/tls_cli.h"
#include "core/clock.h"
#include "core/log_retention.h"
#include "core/password.h"
#include "core/secrets.h"
#include "protocol/names.h"
#include "protocol/wire_time.h"
#include "store/await.h"
#include "store/store.h"

namespace caucus::cli {

using server::ServerOptions;

using store::Await;

namespace {

// Reads a password: without echo from a terminal (twice, to confirm), or
// the first line of standard input otherwise.
bool ReadPassword(const std::string& name, std::string* out) {
  if (!::isatty(STDIN_FILENO)) return static_cast<bool>(std::getline(std::cin, *out));
  termios old{};
  ::tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string again;
  std::cerr << "Password for " << name << ": " << std::flush;
  bool ok = static_cast<bool>(std::getline(std::cin, *out));
  std::cerr << "\nAgain: " << std::flush;
  ok = ok && static_cast<bool>(std::getline(std::cin, again));
  std::cerr << "\n";
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (ok && *out != again) {
    std::cerr << "caucusd: the two passwords differ\n";
    return false;
  }
  return ok;
}

int UsersAdd(const ServerOptions& o, const std::string& name, bool admin) {
  auto domain = DomainRunner::Open(o);
  if (!domain) return 1;
  std::string password;
  if (!ReadPassword(name, &password)) {
    std::cerr << "caucusd: no password given\n";
    return 1;
  }
  if (auto why = CreateAccount(*domain, name, std::move(password), admin); !why.empty()) {
    std::cerr << "caucusd: users add " << name << ": " << why << "\n";
    return 1;
  }
  std::cout << "added " << name << (admin ? " (admin)" : "") << "\n";
  return 0;
}

int UsersImport(const ServerOptions& o, const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "caucusd: cannot read " << file << "\n";
    return 1;
  }
  auto domain = DomainRunner::Open(o);
  if (!domain) return 1;
  std::string line;
  int number = 0, added = 0, skipped = 0, short_passwords = 0;
  std::set<std::string> seen;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string name, password;
    std::string why;
    if (line.find_first_not_of(" \t") == std::string::npos) {
      why = "blank line";
    } else if (!ParseAccountLine(line, &name, &password)) {
      why = "malformed: expected 'name password'";
    } else if (!seen.insert(protocol::FoldName(name)).second) {
      why = "duplicate of an earlier line";
    } else {
      short_passwords += password.size() < o.core.min_password;
      why = CreateAccount(*domain, name, password, false);
    }
    if (why.empty()) {
      ++added;
    } else {
      ++skipped;
      std::cerr << file << ":" << number << ": skipped " << (name.empty() ? "" : name + ": ") << why
                << "\n";
    }
  }
  std::cout << "imported " << added << " accounts, skipped " << skipped << " lines\n";
  if (short_passwords > 0) {
    std::cerr << "caucusd: " << short_passwords << " password"
              << (short_passwords == 1 ? " is" : "s are") << " shorter than " << o.core.min_password
              << " bytes (--min-password); the seeds' credentials files hold short ones: to take "
                 "them, import again with --min-password 1 (and weigh what short passwords cost)\n";
  }
  // Nothing imported from a file that had lines is a failure a script must see.
  return added == 0 && skipped > 0 ? 1 : 0;
}

int UsersList(const ServerOptions& o) {
  auto s = OpenCliStore(o);
  if (!s) return 1;
  auto r = Await<std::vector<store::AccountRecord>>([&](auto done) { s->LoadAccounts(done); });
  if (!r.ok()) {
    std::cerr << "caucusd: " << r.status().message() << "\n";
    return 1;
  }
  for (const auto& a : *r) {
    std::cout << a.name << (a.admin ? " admin" : " user") << " created "
              << protocol::FormatTime(a.created_ms) << " last-login "
              << (a.last_login_ms ? protocol::FormatTime(a.last_login_ms) : "-") << "\n";
  }
  return 0;
}

int UsersSetAdmin(const ServerOptions& o, const std::string& name, bool admin) {
  auto s = OpenCliStore(o);
  if (!s) return 1;
  auto r = Await<store::Done>([&](auto done) { s->SetAdmin(name, admin, done); });
  if (r.status().not_found()) {
    std::cerr << "caucusd: no account named " << name << "\n";
    return 1;
  }
  if (!r.ok()) {
    std::cerr << "caucusd: " << r.status().message() << "\n";
    return 1;
  }
  Await<store::Done>([&](auto done) {
    s->Audit({core::SystemClock().Now(), "operator", admin ? "admin.grant" : "admin.revoke", name},
             done);
  });
  std::cout << (admin ? "granted admin to " : "revoked admin from ") << name << "\n";
  return 0;
}

// --since: an RFC 3339 time; default the last 24 hours.
bool SinceTime(const std::string& text, store::TimeMs* out) {
  if (text.empty()) {
    *out = core::SystemClock().Now() - 86400 * 1000LL;
    return true;
  }
  auto t = protocol::ParseTime(text);
  if (!t) return false;
  *out = *t;
  return true;
}

// Account names by id, for the logs.
std::unordered_map<store::AccountId, std::string> NamesOf(
    const std::vector<store::AccountRecord>& accounts) {
  std::unordered_map<store::AccountId, std::string> names;
  for (const auto& a : accounts) names[a.id] = a.name;
  return names;
}

// `caucusd log KIND`: --since checked and the store opened once for every kind.
using LogFn = int (*)(store::Store&, store::TimeMs since, int limit);
int RunLog(const ServerOptions& o, const std::string& since_text, int limit, LogFn fn) {
  store::TimeMs since;
  if (!SinceTime(since_text, &since)) {
    std::cerr << "caucusd: --since: expected an RFC 3339 time like 2026-11-21T19:08:00Z\n";
    return 2;
  }
  auto s = OpenCliStore(o);
  if (!s) return 1;
  return fn(*s, since, limit);
}

int LogMessages(store::Store& s, store::TimeMs since, int limit) {
  auto accounts = Await<std::vector<store::AccountRecord>>([&](auto d) { s.LoadAccounts(d); });
  auto log =
      Await<std::vector<store::MessageRecord>>([&](auto d) { s.MessageLog(since, limit, d); });
  if (!accounts.ok() || !log.ok()) {
    std::cerr << "caucusd: cannot read the message log\n";
    return 1;
  }
  auto names = NamesOf(*accounts);
  for (const auto& m : *log) {
    std::cout << protocol::FormatTime(m.time_ms) << " #" << m.id << " " << names[m.sender] << " -> "
              << (m.recipient ? names[m.recipient] : std::string("(broadcast)")) << ": " << m.text
              << "\n";
  }
  if (log->empty()) {
    std::cerr << "caucusd: no direct messages or broadcasts since " << protocol::FormatTime(since)
              << " (--since goes further back; `caucusd log board` shows the board's posts)\n";
  }
  return 0;
}

// The board's posts created or edited since `since`, by number (what the
// seeds' messagelog.txt held).
int LogBoard(store::Store& s, store::TimeMs since, int limit) {
  auto accounts = Await<std::vector<store::AccountRecord>>([&](auto d) { s.LoadAccounts(d); });
  auto posts = Await<std::vector<store::PostRecord>>([&](auto d) { s.ReadPosts(since, d); });
  if (!accounts.ok() || !posts.ok()) {
    std::cerr << "caucusd: cannot read the board\n";
    return 1;
  }
  auto names = NamesOf(*accounts);
  int shown = 0;
  for (const auto& p : *posts) {
    if (shown++ == limit) break;
    std::cout << protocol::FormatTime(p.created_ms) << " #" << p.number << " " << names[p.author]
              << ": " << p.text;
    if (p.edited_ms) std::cout << " (edited " << protocol::FormatTime(p.edited_ms) << ")";
    std::cout << "\n";
  }
  if (posts->empty()) {
    std::cerr << "caucusd: no post created or edited since " << protocol::FormatTime(since)
              << " (--since goes further back)\n";
  }
  return 0;
}

int LogLogins(store::Store& s, store::TimeMs since, int limit) {
  auto accounts = Await<std::vector<store::AccountRecord>>([&](auto d) { s.LoadAccounts(d); });
  auto log =
      Await<std::vector<store::LoginEvent>>([&](auto d) { s.LoginHistory(since, limit, d); });
  if (!accounts.ok() || !log.ok()) {
    std::cerr << "caucusd: cannot read the login history\n";
    return 1;
  }
  auto names = NamesOf(*accounts);
  for (const auto& e : *log) {
    std::cout << protocol::FormatTime(e.time_ms) << " " << names[e.account] << " " << e.event << " "
              << e.address << "\n";
  }
  return 0;
}

// "1 message", "2 messages".
std::string Count(int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// `caucusd log prune --before TIME`: one pass of the domain's pruning (the
// server runs the same pass every minute with --history-retention).
int LogPrune(const ServerOptions& o, const std::string& before_text) {
  const auto before = protocol::ParseTime(before_text);
  if (!before) {
    std::cerr << "caucusd: --before: expected an RFC 3339 time like 2026-11-21T19:08:00Z\n";
    return 2;
  }
  auto domain = DomainRunner::Open(o);
  if (!domain) return 1;
  auto pruned = domain->Run<core::LogRetention::Pruned>(
      [&](auto done) { domain->caucus().retention().Prune(*before, done); });
  if (!pruned.ok()) {
    std::cerr << "caucusd: log prune: " << FailureText(pruned.failure()) << "\n";
    return 1;
  }
  const std::string when = protocol::FormatTime(*before);
  domain->store().Audit({core::SystemClock().Now(), kOperator, "log.prune",
                         "before " + when + ": " + std::to_string(pruned->deleted) + " deleted"},
                        nullptr);
  std::cout << "pruned " << Count(pruned->deleted, "message") << " logged before " << when << "\n";
  if (pruned->kept_queued > 0) {
    std::cout << "kept " << Count(pruned->kept_queued, "older message")
              << " waiting in offline queues (pruned once their recipients have them)\n";
  }
  return 0;
}

int LogAudit(store::Store& s, store::TimeMs since, int limit) {
  auto log = Await<std::vector<store::AuditEntry>>([&](auto d) { s.ReadAudit(since, limit, d); });
  if (!log.ok()) {
    std::cerr << "caucusd: cannot read the audit log\n";
    return 1;
  }
  for (const auto& e : *log) {
    std::cout << protocol::FormatTime(e.time_ms) << " " << e.actor << " " << e.action << " "
              << e.detail << "\n";
  }
  return 0;
}

}  // namespace

void AddAdminCommands(CLI::App& app, ServerOptions* o, std::function<int()>* run) {
  auto* users = app.add_subcommand("users", "Manage accounts");
  users->require_subcommand(1);
  users->fallthrough();

  auto name = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  auto admin = std::make_shared<bool>(false);

  auto* add = users->add_subcommand("add",
                                    "Create an account; the password is asked for, or read "
                                    "from the first line of standard input");
  add->add_option("NAME", *name, "Account name")->required();
  add->add_flag("--admin", *admin, "Make the account an admin");
  add->fallthrough();
  add->callback([=] { *run = [=] { return UsersAdd(*o, *name, *admin); }; });

  auto* import_file = users->add_subcommand(
      "import", "Create accounts from a credentials file: 'name password' per line");
  import_file->add_option("FILE", *file, "Credentials file")->required();
  import_file->fallthrough();
  import_file->callback([=] { *run = [=] { return UsersImport(*o, *file); }; });

  auto* list = users->add_subcommand("list", "List accounts");
  list->fallthrough();
  list->callback([=] { *run = [=] { return UsersList(*o); }; });

  auto* grant = users->add_subcommand("grant-admin", "Make an account an admin");
  grant->add_option("NAME", *name, "Account name")->required();
  grant->fallthrough();
  grant->callback([=] { *run = [=] { return UsersSetAdmin(*o, *name, true); }; });

  auto* revoke = users->add_subcommand("revoke-admin", "Take admin rights from an account");
  revoke->add_option("NAME", *name, "Account name")->required();
  revoke->fallthrough();
  revoke->callback([=] { *run = [=] { return UsersSetAdmin(*o, *name, false); }; });

  AddPollCommands(app, o, run);
  AddTlsCommands(app, o, run);
  AddStoreCommands(app, o, run);

  auto* log =
      app.add_subcommand("log", "Read the message log, the board, login history or audit log");
  log->require_subcommand(1);
  log->fallthrough();
  auto since = std::make_shared<std::string>();
  auto limit = std::make_shared<int>(10000);
  struct LogKind {
    const char* name;
    const char* help;
    LogFn fn;
  };
  for (const LogKind& k :
       {LogKind{"messages", "Direct messages and broadcasts", LogMessages},
        LogKind{"board", "The board's posts, created or edited", LogBoard},
        LogKind{"logins", "Logins, logouts and lockouts (the userlog)", LogLogins},
        LogKind{"audit", "Admin and operator actions", LogAudit}}) {
    auto* sub = log->add_subcommand(k.name, k.help);
    sub->add_option("--since", *since, "RFC 3339 time to start from (default: 24 hours ago)");
    sub->add_option("--limit", *limit, "Most lines to print")->check(CLI::Range(1, 10000000));
    sub->fallthrough();
    auto fn = k.fn;
    sub->callback([=] { *run = [=] { return RunLog(*o, *since, *limit, fn); }; });
  }
  auto before = std::make_shared<std::string>();
  auto* prune = log->add_subcommand(
      "prune",
      "Delete the direct messages and broadcasts logged before a time, but those still waiting "
      "for their recipients");
  prune->add_option("--before", *before, "RFC 3339 time: messages logged before it go")->required();
  prune->fallthrough();
  prune->callback([=] { *run = [=] { return LogPrune(*o, *before); }; });
}

}  // namespace caucus::cli
