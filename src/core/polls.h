// Polls: polls, ballots, results and receipts (PROTOCOL.md "Polls and
// votes" and "Poll administration").
//
// Polls are held in memory (they are few) and saved through the store;
// ballots live only in the store. A ballot and its voter's mark are
// committed in one transaction before OK VOTE, and are kept apart: see
// docs/voting.md. Opening and closing at their times run on Scheduler
// timers, and POLL events go to the online users who may vote.
//
// Thread-safety: event loop thread only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/accounts.h"
#include "core/outcome.h"
#include "core/poll_rules.h"
#include "core/world.h"
#include "store/key_vault.h"

namespace caucus::core {

class Polls {
 public:
  Polls(World& world, Accounts& accounts, store::KeyVault& keys);

  // Takes the polls loaded at start and schedules their timers.
  void Load(std::vector<store::PollRecord> records);

  struct Summary {
    std::string id;
    store::PollState state;
    TimeMs opens;   // 0 = not known yet
    TimeMs closes;  // 0 = not known yet
    bool voted;
    std::string title;
  };
  std::vector<Summary> List(const Session& s) const;
  struct Detail {
    Summary summary;
    std::vector<std::string> options;
    PollFlags flags;
  };
  Outcome<Detail> Info(const Session& s, const std::string& id) const;

  // Answers the receipt once the ballot is durable.
  void Vote(SessionRef s, const std::string& id, const std::string& choice,
            std::optional<std::string> password, Reply<std::string> done);
  struct Results {
    std::vector<std::string> options;
    std::vector<int64_t> votes;
    int64_t ballots;
    int64_t eligible;
  };
  void GetResults(SessionRef s, const std::string& id, std::optional<std::string> password,
                  Reply<Results> done);
  // The choices the receipt's ballot counts for.
  void Verify(SessionRef s, const std::string& id, const std::string& receipt,
              Reply<std::vector<int>> done);

  // Administration. `actor` names who did it in the audit log.
  void Create(const std::string& actor, std::string_view opens, std::string_view closes,
              std::string_view flags, std::string title, Reply<std::string> done);
  void AddOption(const std::string& actor, const std::string& id, std::string label,
                 Reply<int> done);
  // Answers the number of eligible voters.
  void AddToRoll(const std::string& actor, const std::string& id,
                 const std::vector<std::string>& names, Reply<int64_t> done);
  // Answers the closing time.
  void Open(const std::string& actor, const std::string& id, Reply<TimeMs> done);
  // Answers the number of ballots.
  void Close(const std::string& actor, const std::string& id, Reply<int64_t> done);
  void Delete(const std::string& actor, const std::string& id, Reply<Ok> done);

  // A poll changed in another process (the command line): reload it.
  void Reload(const std::string& id, std::function<void()> done);

 private:
  struct Poll {
    store::PollRecord record;
    PollFlags flags;
    std::unordered_set<AccountId> roll;
    std::unordered_set<AccountId> voted;
    std::unordered_set<AccountId> voting;  // ballots not yet committed
    Scheduler::TimerId open_timer = 0;
    Scheduler::TimerId close_timer = 0;
  };

  Poll* Find(const std::string& id);
  const Poll* Find(const std::string& id) const;
  // `late_opening`: a scheduled opening time already past still opens the
  // poll (at start, after the server was down); a poll read again because
  // another process changed it is not opened late (its time was judged
  // where it came, with the options it had then).
  void Adopt(store::PollRecord record, bool late_opening = true);
  void Reloaded(const std::string& id, store::Result<store::PollRecord> r);
  void Schedule(Poll& p, bool late_opening = true);
  void CancelTimers(Poll& p);
  TimeMs KnownCloses(const Poll& p) const;
  Summary Summarize(const Poll& p, const Session* viewer) const;
  int64_t Eligible(const Poll& p) const;
  bool MayVote(const Poll& p, AccountId account) const;
  void Announce(const Poll& p, bool open, TimeMs when);
  void OpenNow(Poll& p, TimeMs now, std::function<void(bool saved)> done);
  void CloseNow(Poll& p, TimeMs when, std::function<void(bool saved)> done);
  void Cast(SessionRef s, const std::string& id, std::vector<int> choices, Reply<std::string> done);
  void Audit(const std::string& actor, const std::string& action, const std::string& detail);

  World& w_;
  Accounts& accounts_;
  store::KeyVault& keys_;
  std::map<int64_t, Poll> polls_;  // by sequence number: POLLS lists in creation order
};

}  // namespace caucus::core
