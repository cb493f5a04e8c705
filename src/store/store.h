// The Store: everything Caucus keeps across restarts and crashes.
//
// The interface is written in domain terms, not SQL: the SQLite
// implementation (sqlite_store.h) and the PostgreSQL one
// (postgres/pg_store.h) stand side by side, and open_store.h picks one. Every
// operation is asynchronous: it returns at once and calls `done` later, on
// the executor given to the implementation (the server's event loop), so the
// caller never waits on disk.
//
// Writes: `done` is called only after the transaction that holds the write
// has committed durably (fsync), or failed. Implementations group concurrent
// writes into one transaction and one fsync; a write's effects are visible to
// every read submitted after its `done` was called. A write that fails leaves
// nothing behind and reports Status::kFailed.
//
// Reads see every write whose `done` has been called.
//
// Ordering: writes submitted from one thread commit in submission order.
// TakeQueued() is ordered with writes: it sees every write submitted before it.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "store/result.h"

namespace caucus::store {

using AccountId = int64_t;
using TimeMs = int64_t;  // milliseconds since the Unix epoch, UTC

template <class T>
using Callback = std::function<void(Result<T>)>;

// Runs a completion on the caller's thread of choice.
using Executor = std::function<void(std::function<void()>)>;

// ---------------------------------------------------------------- accounts

struct AccountRecord {
  AccountId id = 0;
  std::string name;  // as first registered
  bool admin = false;
  TimeMs created_ms = 0;
  TimeMs last_login_ms = 0;  // latest LOGIN or RESUME; 0 = never
  bool has_queued = false;   // stored messages wait for it (AppendMessage with queue)
};

struct NewAccount {
  std::string name;
  std::string password_hash;  // Argon2id string
  bool admin = false;
  TimeMs created_ms = 0;
};

// A session token granted at LOGIN: only its hash is kept.
struct TokenGrant {
  AccountId account = 0;
  std::string token_hash;  // 32 bytes
  TimeMs created_ms = 0;
  TimeMs expires_ms = 0;
};

// One row of the login history (the seeds' userlog).
struct LoginEvent {
  AccountId account = 0;
  TimeMs time_ms = 0;
  std::string address;
  std::string event;  // login, resume, logout, idle-timeout, replaced, dropped, locked, ...
};

struct LockoutRecord {
  AccountId account = 0;
  std::string address;  // empty for the account scope
  int failures = 0;
  TimeMs locked_until_ms = 0;
  TimeMs last_failure_ms = 0;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // kConflict when the name is taken without regard to case.
  virtual void CreateAccount(NewAccount account, Callback<AccountId> done) = 0;
  virtual void LoadAccounts(Callback<std::vector<AccountRecord>> done) = 0;
  // Loads one account by id; kNotFound if there is none.
  virtual void LoadAccount(AccountId id, Callback<AccountRecord> done) = 0;
  virtual void PasswordHash(AccountId id, Callback<std::string> done) = 0;
  // Replaces the hash; with `revoke_tokens`, every token of the account dies in the same
  // transaction.
  virtual void SetPasswordHash(AccountId id, std::string hash, bool revoke_tokens,
                               Callback<Done> done) = 0;
  // kNotFound when there is no such account.
  virtual void SetAdmin(std::string name, bool admin, Callback<Done> done) = 0;

  // Stores a new token and the login history row, and sets last_login_ms, in one transaction.
  virtual void GrantToken(TokenGrant grant, LoginEvent event, Callback<Done> done) = 0;
  // The account holding an unexpired token; kNotFound otherwise.
  virtual void FindToken(std::string token_hash, TimeMs now_ms, Callback<AccountId> done) = 0;
  virtual void RevokeToken(std::string token_hash, Callback<Done> done) = 0;
  // Appends to the login history; for RESUME also sets last_login_ms.
  virtual void RecordLogin(LoginEvent event, bool sets_last_login, Callback<Done> done) = 0;
  virtual void LoginHistory(TimeMs since_ms, int limit, Callback<std::vector<LoginEvent>> done) = 0;

  // Saves a lockout counter; a record with failures == 0 and no lock is deleted.
  virtual void SaveLockout(LockoutRecord record, Callback<Done> done) = 0;
  virtual void LoadLockouts(Callback<std::vector<LockoutRecord>> done) = 0;
};

// ---------------------------------------------------------------- messages

struct MessageRecord {
  int64_t id = 0;
  TimeMs time_ms = 0;
  AccountId sender = 0;
  AccountId recipient = 0;  // 0 for a broadcast
  std::string text;
};

struct Block {
  AccountId blocker = 0;
  AccountId blocked = 0;
};

// A place in the message log's time order (time, then id), for pruning it
// in steps. The default is before every message.
struct LogPosition {
  TimeMs time_ms = INT64_MIN;
  int64_t id = INT64_MIN;
};

// What one step of PruneMessages did.
struct PruneStep {
  int64_t examined = 0;  // messages older than the cut-off looked at (at most the limit)
  int64_t deleted = 0;   // of them, deleted; the others wait in an offline queue
  LogPosition last;      // the last one examined: where the next step goes on from
};

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // Logs the message; with `queue`, also keeps it for its recipient until AckQueued.
  virtual void AppendMessage(MessageRecord message, bool queue, Callback<Done> done) = 0;
  // The messages queued for `recipient`, oldest first (ordered with writes).
  virtual void TakeQueued(AccountId recipient, Callback<std::vector<MessageRecord>> done) = 0;
  virtual void AckQueued(AccountId recipient, std::vector<int64_t> ids, Callback<Done> done) = 0;
  // Direct messages between a and b with id < before_id, newest first, at most `limit`.
  virtual void History(AccountId a, AccountId b, int64_t before_id, int limit,
                       Callback<std::vector<MessageRecord>> done) = 0;
  // Every message logged at or after since_ms, oldest first, at most `limit`.
  virtual void MessageLog(TimeMs since_ms, int limit,
                          Callback<std::vector<MessageRecord>> done) = 0;
  // One step of pruning the log: looks at up to `limit` messages logged
  // before `before_ms`, in time order from just after `after`, and deletes
  // those that wait in no offline queue (a queued message stays until
  // AckQueued). The step is a transaction of its own: it is ordered with
  // the other writes but never grouped with them, so the writes submitted
  // before it commit first (in their own groups) and a write submitted
  // after it waits for this one step.
  // Fewer than `limit` examined: nothing older is left past `last`.
  // REQUIRES: limit >= 1.
  virtual void PruneMessages(TimeMs before_ms, LogPosition after, int limit,
                             Callback<PruneStep> done) = 0;
  // The highest message id logged or reserved so far, pruned messages
  // included (0: none).
  virtual void LastMessageId(Callback<int64_t> done) = 0;
  // Reserves `count` message ids that no process sharing the store has
  // used or will use (several nodes); answers the first. Ids taken from
  // LastMessageId() + 1 by a single node are never handed out again.
  virtual void ReserveMessageIds(int64_t count, Callback<int64_t> done) = 0;

  virtual void SetBlock(Block block, bool blocked, TimeMs now_ms, Callback<Done> done) = 0;
  virtual void LoadBlocks(Callback<std::vector<Block>> done) = 0;
};

// ---------------------------------------------------------------- board

struct PostRecord {
  int64_t number = 0;
  AccountId author = 0;
  TimeMs created_ms = 0;
  TimeMs edited_ms = 0;  // 0 = never edited
  std::string text;
};

// The outcome of an edit or delete that only the author (or an admin) may do.
enum class PostCheck { kOk, kNoSuchPost, kNotAuthor };

class BoardStore {
 public:
  virtual ~BoardStore() = default;

  // Returns the new post's number; numbers are never given twice.
  virtual void CreatePost(AccountId author, TimeMs now_ms, std::string text,
                          Callback<int64_t> done) = 0;
  virtual void EditPost(int64_t number, AccountId editor, TimeMs now_ms, std::string text,
                        Callback<PostCheck> done) = 0;
  // With `any_author`, the requester need not be the author (an admin).
  virtual void DeletePost(int64_t number, AccountId requester, bool any_author,
                          Callback<PostCheck> done) = 0;
  // Posts created or edited after since_ms (all when since_ms < 0), by number.
  virtual void ReadPosts(TimeMs since_ms, Callback<std::vector<PostRecord>> done) = 0;
};

// ---------------------------------------------------------------- polls

enum class PollState { kUpcoming, kOpen, kClosed };

struct PollRecord {
  std::string id;  // assigned by the store at creation
  std::string title;
  std::string flags;  // comma-separated, as given to POLLNEW
  int max_choices = 1;
  PollState state = PollState::kUpcoming;
  TimeMs opens_ms = 0;   // 0 = not known yet (opened by POLLOPEN)
  TimeMs closes_ms = 0;  // 0 = not known yet (close_after_s counts from the opening)
  int64_t close_after_s = 0;
  TimeMs created_ms = 0;
  std::vector<std::string> options;  // option n is options[n-1]
  std::vector<AccountId> roll;       // the voter roll, for polls with the roll flag
  std::vector<AccountId> voted;      // accounts that have voted (never what they chose)
};

struct Ballot {
  std::string poll_id;
  AccountId voter = 0;       // goes to the voters' table only
  std::string receipt;       // the ballot's key
  std::vector<int> choices;  // option numbers
  // For revote polls: the earlier ballot to remove, and the sealed link to keep.
  std::string replaces_receipt;
  std::string voter_tag;       // keyed hash of the voter, under the poll's key
  std::string sealed_receipt;  // the receipt, encrypted under the poll's key
};

struct RevoteLink {
  std::string voter_tag;
  std::string sealed_receipt;
};

struct Tallies {
  std::vector<int64_t> votes;  // element n-1 counts option n
  int64_t ballots = 0;         // distinct receipts
};

struct ExportedBallot {
  std::string receipt;
  std::vector<int> choices;
};

// Poll ids are "p" followed by a decimal sequence number that grows with
// each poll created; PollSeq gives the number (-1 for anything else).
int64_t PollSeq(const std::string& poll_id);

class PollStore {
 public:
  virtual ~PollStore() = default;

  // Stores a new poll (options and roll included) and returns its id.
  virtual void CreatePoll(PollRecord poll, Callback<std::string> done) = 0;
  virtual void AddOption(std::string poll_id, int number, std::string label,
                         Callback<Done> done) = 0;
  virtual void AddToRoll(std::string poll_id, std::vector<AccountId> accounts,
                         Callback<Done> done) = 0;
  // Saves state and times.
  virtual void SavePollState(const PollRecord& poll, Callback<Done> done) = 0;
  virtual void DeletePoll(std::string poll_id, Callback<Done> done) = 0;
  virtual void LoadPolls(Callback<std::vector<PollRecord>> done) = 0;
  virtual void LoadPoll(std::string poll_id, Callback<PollRecord> done) = 0;

  // The voter's mark and the ballot in one transaction; kConflict when the
  // voter has a mark already and the ballot replaces nothing; kNotFound
  // when the poll is not open in the store when the transaction runs
  // (another process closed it after this one's check): nothing is written.
  virtual void CastBallot(Ballot ballot, Callback<Done> done) = 0;
  // Votes per option and the number of ballots.
  virtual void Tally(std::string poll_id, int options, Callback<Tallies> done) = 0;
  // The choices a receipt counts for; kNotFound when no ballot has it.
  virtual void FindBallot(std::string poll_id, std::string receipt,
                          Callback<std::vector<int>> done) = 0;
  // Every ballot, in receipt order (random, unrelated to time or voter).
  virtual void Ballots(std::string poll_id, Callback<std::vector<ExportedBallot>> done) = 0;
  virtual void FindRevoteLink(std::string poll_id, std::string voter_tag,
                              Callback<RevoteLink> done) = 0;
  // Destroys every voter-to-ballot link of a poll (at its close).
  virtual void DropRevoteLinks(std::string poll_id, Callback<Done> done) = 0;
};

// ---------------------------------------------------------------- audit and changes

struct AuditEntry {
  TimeMs time_ms = 0;
  std::string actor;   // an account name, or "operator" for the command line
  std::string action;  // e.g. poll.open, post.delete
  std::string detail;
};

// A change made outside the running server (the command line), for it to reload.
struct Change {
  int64_t seq = 0;
  std::string kind;    // "account", "poll" or "blocks"
  std::string key;     // account id, poll id, or the blocking account id
  std::string origin;  // who made it: the store's origin name (see OpenStore)
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  virtual void Audit(AuditEntry entry, Callback<Done> done) = 0;
  virtual void ReadAudit(TimeMs since_ms, int limit, Callback<std::vector<AuditEntry>> done) = 0;
  // Records that `key` of `kind` changed, for other processes to notice.
  // Writes that change accounts or polls record their change themselves.
  virtual void NoteChange(std::string kind, std::string key, Callback<Done> done) = 0;
  virtual void ChangesSince(int64_t seq, Callback<std::vector<Change>> done) = 0;
  virtual void LastChange(Callback<int64_t> done) = 0;
};

// ---------------------------------------------------------------- nodes of a deployment

// A node's latest heartbeat, as NodeStore::Beat found it.
struct NodeBeat {
  std::string node;
  std::string incarnation;
  TimeMs age_ms = 0;  // since that beat, by the store's clock
};

struct Beats {
  // Since this node's previous beat, by the store's clock; -1 when the store
  // holds no earlier beat of this node and incarnation (its first beat, or
  // its row was removed: the others have forgotten it).
  TimeMs own_age_ms = -1;
  std::vector<NodeBeat> others;  // every other node's latest beat
};

// Liveness of the caucusd nodes sharing this store. Times are the store's
// own clock (the database server's for PostgreSQL), so that the nodes'
// clocks need not agree.
class NodeStore {
 public:
  virtual ~NodeStore() = default;
  // Records that `node` (in its `incarnation`) is alive now, and reports
  // every node's latest beat. Rows unheard of for a day are removed.
  virtual void Beat(std::string node, std::string incarnation, Callback<Beats> done) = 0;
  // Removes the node's row (a clean stop), so the others forget it at once.
  virtual void Leave(std::string node, std::string incarnation, Callback<Done> done) = 0;
};

// ---------------------------------------------------------------- the whole store

// Numbers for /metrics, /readyz and benchmarks.
struct StoreStats {
  uint64_t commits = 0;
  uint64_t jobs = 0;
  uint64_t failed_commits = 0;
  bool last_commit_failed = false;  // the store cannot write now (the latest commit failed, or
                                    // the database cannot be reached)
};

// Called on the store's writer thread after each commit with the number of
// jobs it held and how long the commit (its fsync) took. It must be cheap
// and must not call the store.
using CommitObserver = std::function<void(size_t jobs, std::chrono::microseconds commit)>;

class Store : public AccountStore,
              public MessageStore,
              public BoardStore,
              public PollStore,
              public AuditStore,
              public NodeStore {
 public:
  // Waits until every operation submitted so far has finished and handed
  // its completion to the executor (used at shutdown, and by tests).
  virtual void Drain() = 0;

  virtual StoreStats stats() const = 0;
  // Set it before the writes it should see.
  virtual void SetCommitObserver(CommitObserver observer) = 0;
};

}  // namespace caucus::store
