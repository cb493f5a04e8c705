// SqliteStore: the Store on one SQLite database file (WAL mode), with group
// commit on a writer thread and reads on reader threads (SqliteEngine).
//
// Its methods are implemented by concern in sqlite_accounts.cc,
// sqlite_messages.cc, sqlite_board.cc, sqlite_polls.cc and sqlite_audit.cc.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite/sqlite_engine.h"
#include "store/store.h"

namespace caucus::store {

class SqliteStore final : public Store {
 public:
  // Opens (creating and migrating if needed) the database at `path`.
  // Completions run on `executor`. Returns Failed if the file cannot be
  // opened or migrated.
  // `origin` names this process in the change feed (Change::origin).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, Executor executor,
                                                   std::string origin, int readers = 2);

  void Drain() override { engine_.Drain(); }
  StoreStats stats() const override { return engine_.stats(); }
  void SetCommitObserver(CommitObserver observer) override {
    engine_.SetCommitObserver(std::move(observer));
  }

  // AccountStore
  void CreateAccount(NewAccount account, Callback<AccountId> done) override;
  void LoadAccounts(Callback<std::vector<AccountRecord>> done) override;
  void LoadAccount(AccountId id, Callback<AccountRecord> done) override;
  void PasswordHash(AccountId id, Callback<std::string> done) override;
  void SetPasswordHash(AccountId id, std::string hash, bool revoke_tokens,
                       Callback<Done> done) override;
  void SetAdmin(std::string name, bool admin, Callback<Done> done) override;
  void GrantToken(TokenGrant grant, LoginEvent event, Callback<Done> done) override;
  void FindToken(std::string token_hash, TimeMs now_ms, Callback<AccountId> done) override;
  void RevokeToken(std::string token_hash, Callback<Done> done) override;
  void RecordLogin(LoginEvent event, bool sets_last_login, Callback<Done> done) override;
  void LoginHistory(TimeMs since_ms, int limit, Callback<std::vector<LoginEvent>> done) override;
  void SaveLockout(LockoutRecord record, Callback<Done> done) override;
  void LoadLockouts(Callback<std::vector<LockoutRecord>> done) override;

  // MessageStore
  void AppendMessage(MessageRecord message, bool queue, Callback<Done> done) override;
  void TakeQueued(AccountId recipient, Callback<std::vector<MessageRecord>> done) override;
  void AckQueued(AccountId recipient, std::vector<int64_t> ids, Callback<Done> done) override;
  void History(AccountId a, AccountId b, int64_t before_id, int limit,
               Callback<std::vector<MessageRecord>> done) override;
  void MessageLog(TimeMs since_ms, int limit, Callback<std::vector<MessageRecord>> done) override;
  void PruneMessages(TimeMs before_ms, LogPosition after, int limit,
                     Callback<PruneStep> done) override;
  void LastMessageId(Callback<int64_t> done) override;
  void ReserveMessageIds(int64_t count, Callback<int64_t> done) override;
  void SetBlock(Block block, bool blocked, TimeMs now_ms, Callback<Done> done) override;
  void LoadBlocks(Callback<std::vector<Block>> done) override;

  // BoardStore
  void CreatePost(AccountId author, TimeMs now_ms, std::string text,
                  Callback<int64_t> done) override;
  void EditPost(int64_t number, AccountId editor, TimeMs now_ms, std::string text,
                Callback<PostCheck> done) override;
  void DeletePost(int64_t number, AccountId requester, bool any_author,
                  Callback<PostCheck> done) override;
  void ReadPosts(TimeMs since_ms, Callback<std::vector<PostRecord>> done) override;

  // PollStore
  void CreatePoll(PollRecord poll, Callback<std::string> done) override;
  void AddOption(std::string poll_id, int number, std::string label, Callback<Done> done) override;
  void AddToRoll(std::string poll_id, std::vector<AccountId> accounts,
                 Callback<Done> done) override;
  void SavePollState(const PollRecord& poll, Callback<Done> done) override;
  void DeletePoll(std::string poll_id, Callback<Done> done) override;
  void LoadPolls(Callback<std::vector<PollRecord>> done) override;
  void LoadPoll(std::string poll_id, Callback<PollRecord> done) override;
  void CastBallot(Ballot ballot, Callback<Done> done) override;
  void Tally(std::string poll_id, int options, Callback<Tallies> done) override;
  void FindBallot(std::string poll_id, std::string receipt,
                  Callback<std::vector<int>> done) override;
  void Ballots(std::string poll_id, Callback<std::vector<ExportedBallot>> done) override;
  void FindRevoteLink(std::string poll_id, std::string voter_tag,
                      Callback<RevoteLink> done) override;
  void DropRevoteLinks(std::string poll_id, Callback<Done> done) override;

  // AuditStore
  void Audit(AuditEntry entry, Callback<Done> done) override;
  void ReadAudit(TimeMs since_ms, int limit, Callback<std::vector<AuditEntry>> done) override;
  void NoteChange(std::string kind, std::string key, Callback<Done> done) override;
  void ChangesSince(int64_t seq, Callback<std::vector<Change>> done) override;
  void LastChange(Callback<int64_t> done) override;

  // NodeStore
  void Beat(std::string node, std::string incarnation, Callback<Beats> done) override;
  void Leave(std::string node, std::string incarnation, Callback<Done> done) override;

 private:
  SqliteStore(const std::string& path, Executor executor, std::string origin, int readers);

  // Appends to the change feed, inside the calling write job.
  void NoteChangeIn(Db& db, const char* kind, const std::string& key) const;

  // Runs `body` (Db& -> Result<T>) as a write or a read and calls `done`
  // with its result once committed (writes) or read.
  template <class T, class BodyFn>
  void WriteOp(BodyFn body, Callback<T> done) {
    Submit<T>(Lane::kWrite, std::move(body), std::move(done));
  }
  template <class T, class BodyFn>
  void ReadOp(BodyFn body, Callback<T> done) {
    Submit<T>(Lane::kRead, std::move(body), std::move(done));
  }
  // A background write (SqliteEngine::WriteInBackground).
  template <class T, class BodyFn>
  void BackgroundOp(BodyFn body, Callback<T> done) {
    Submit<T>(Lane::kBackground, std::move(body), std::move(done));
  }
  enum class Lane { kWrite, kRead, kBackground };
  template <class T, class BodyFn>
  void Submit(Lane lane, BodyFn body, Callback<T> done) {
    const bool waited_for = static_cast<bool>(done);
    auto slot = std::make_shared<Result<T>>();
    SqliteEngine::Body run = [slot, body = std::move(body)](Db& db) mutable -> Status {
      *slot = body(db);
      return slot->ok() ? Status::Ok() : slot->status();
    };
    SqliteEngine::After after = [slot, done = std::move(done)](Status status) {
      if (!done) return;
      if (!status.ok()) {
        done(Result<T>(std::move(status)));
      } else {
        done(std::move(*slot));
      }
    };
    switch (lane) {
      case Lane::kWrite:
        return engine_.Write(std::move(run), std::move(after), waited_for);
      case Lane::kRead:
        return engine_.Read(std::move(run), std::move(after));
      case Lane::kBackground:
        return engine_.WriteInBackground(std::move(run), std::move(after));
    }
  }

  std::string origin_;
  SqliteEngine engine_;
};

}  // namespace caucus::store
