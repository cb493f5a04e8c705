// SqliteStore: polls, voter rolls, voters' marks and ballots.
//
// Secrecy: CastBallot writes the voter's mark (poll_voters) and the ballot
// (ballots, keyed by its random receipt) in the same transaction, but no
// column, key or timestamp relates the two rows. See docs/voting.md.
#include "store/sqlite/sqlite_store.h"

namespace caucus::store {
namespace {

std::string PollId(int64_t seq) {
  std::string id = "p";
  id += std::to_string(seq);
  return id;
}

PollRecord ReadPollRow(Db& db, const Cursor& q) {
  PollRecord p;
  const int64_t seq = q.Int(0);
  p.id = PollId(seq);
  p.title = q.Text(1);
  p.flags = q.Text(2);
  p.max_choices = static_cast<int>(q.Int(3));
  p.state = static_cast<PollState>(q.Int(4));
  p.opens_ms = q.Int(5);
  p.closes_ms = q.Int(6);
  p.close_after_s = q.Int(7);
  p.created_ms = q.Int(8);
  {
    auto o = db.Query("SELECT label FROM poll_options WHERE poll = ? ORDER BY number", seq);
    while (o.Step()) p.options.push_back(o.Text(0));
  }
  {
    auto r = db.Query("SELECT account_id FROM poll_roll WHERE poll = ?", seq);
    while (r.Step()) p.roll.push_back(r.Int(0));
  }
  {
    auto v = db.Query("SELECT account_id FROM poll_voters WHERE poll = ?", seq);
    while (v.Step()) p.voted.push_back(v.Int(0));
  }
  return p;
}

constexpr const char* kSelectOnePoll =
    "SELECT seq, title, flags, max_choices, state, opens_ms, closes_ms, close_after_s, created_ms "
    "FROM polls WHERE seq = ?";

}  // namespace

void SqliteStore::CreatePoll(PollRecord p, Callback<std::string> done) {
  WriteOp<std::string>(
      [this, p = std::move(p)](Db& db) -> Result<std::string> {
        db.Run(
            "INSERT INTO polls(title, flags, max_choices, state, opens_ms, closes_ms, "
            "close_after_s, created_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
            p.title, p.flags, p.max_choices, static_cast<int>(p.state), p.opens_ms, p.closes_ms,
            p.close_after_s, p.created_ms);
        const int64_t seq = db.LastInsertRowid();
        for (size_t i = 0; i < p.options.size(); ++i) {
          db.Run("INSERT INTO poll_options(poll, number, label) VALUES(?, ?, ?)", seq,
                 static_cast<int64_t>(i + 1), p.options[i]);
        }
        for (AccountId a : p.roll) {
          db.Run("INSERT OR IGNORE INTO poll_roll(poll, account_id) VALUES(?, ?)", seq, a);
        }
        NoteChangeIn(db, "poll", PollId(seq));
        return PollId(seq);
      },
      std::move(done));
}

void SqliteStore::AddOption(std::string poll_id, int number, std::string label,
                            Callback<Done> done) {
  WriteOp<Done>(
      [this, seq = PollSeq(poll_id), number, label = std::move(label)](Db& db) -> Result<Done> {
        db.Run("INSERT INTO poll_options(poll, number, label) VALUES(?, ?, ?)", seq, number, label);
        NoteChangeIn(db, "poll", PollId(seq));
        return Done{};
      },
      std::move(done));
}

void SqliteStore::AddToRoll(std::string poll_id, std::vector<AccountId> accounts,
                            Callback<Done> done) {
  WriteOp<Done>(
      [this, seq = PollSeq(poll_id), accounts = std::move(accounts)](Db& db) -> Result<Done> {
        for (AccountId a : accounts) {
          db.Run("INSERT OR IGNORE INTO poll_roll(poll, account_id) VALUES(?, ?)", seq, a);
        }
        NoteChangeIn(db, "poll", PollId(seq));
        return Done{};
      },
      std::move(done));
}

void SqliteStore::SavePollState(const PollRecord& p, Callback<Done> done) {
  WriteOp<Done>(
      [this, seq = PollSeq(p.id), state = static_cast<int>(p.state), opens = p.opens_ms,
       closes = p.closes_ms](Db& db) -> Result<Done> {
        db.Run("UPDATE polls SET state = ?, opens_ms = ?, closes_ms = ? WHERE seq = ?", state,
               opens, closes, seq);
        if (db.Changes() == 0) return Status::NotFound();
        NoteChangeIn(db, "poll", PollId(seq));
        return Done{};
      },
      std::move(done));
}

void SqliteStore::DeletePoll(std::string poll_id, Callback<Done> done) {
  WriteOp<Done>(
      [this, seq = PollSeq(poll_id)](Db& db) -> Result<Done> {
        db.Run("DELETE FROM polls WHERE seq = ?", seq);
        if (db.Changes() == 0) return Status::NotFound();
        db.Run("DELETE FROM poll_options WHERE poll = ?", seq);
        db.Run("DELETE FROM poll_roll WHERE poll = ?", seq);
        db.Run("DELETE FROM poll_voters WHERE poll = ?", seq);
        db.Run("DELETE FROM ballots WHERE poll = ?", seq);
        db.Run("DELETE FROM revote_links WHERE poll = ?", seq);
        NoteChangeIn(db, "poll", PollId(seq));
        return Done{};
      },
      std::move(done));
}

void SqliteStore::LoadPolls(Callback<std::vector<PollRecord>> done) {
  ReadOp<std::vector<PollRecord>>(
      [](Db& db) -> Result<std::vector<PollRecord>> {
        std::vector<PollRecord> out;
        std::vector<int64_t> seqs;
        {
          auto q = db.Query("SELECT seq FROM polls ORDER BY seq");
          while (q.Step()) seqs.push_back(q.Int(0));
        }
        for (int64_t seq : seqs) {
          auto q = db.Query(kSelectOnePoll, seq);
          if (q.Step()) out.push_back(ReadPollRow(db, q));
        }
        return out;
      },
      std::move(done));
}

void SqliteStore::LoadPoll(std::string poll_id, Callback<PollRecord> done) {
  ReadOp<PollRecord>(
      [seq = PollSeq(poll_id)](Db& db) -> Result<PollRecord> {
        auto q = db.Query(kSelectOnePoll, seq);
        if (!q.Step()) return Status::NotFound();
        return ReadPollRow(db, q);
      },
      std::move(done));
}

void SqliteStore::CastBallot(Ballot b, Callback<Done> done) {
  WriteOp<Done>(
      [b = std::move(b)](Db& db) -> Result<Done> {
        const int64_t seq = PollSeq(b.poll_id);
        // Open in the file, not only in the caller's view: another process
        // on the same file (a node, `caucusd poll close`) may have closed
        // it since; write transactions on one file run one at a time.
        auto open = db.Query("SELECT 1 FROM polls WHERE seq = ? AND state = ?", seq,
                             static_cast<int64_t>(PollState::kOpen));
        if (!open.Step()) return Status::NotFound("the poll is not open");
        if (b.replaces_receipt.empty()) {
          db.Run("INSERT INTO poll_voters(poll, account_id) VALUES(?, ?)", seq, b.voter);
        } else {
          db.Run("INSERT OR IGNORE INTO poll_voters(poll, account_id) VALUES(?, ?)", seq, b.voter);
          db.Run("DELETE FROM ballots WHERE poll = ? AND receipt = ?", seq, b.replaces_receipt);
        }
        for (int choice : b.choices) {
          db.Run("INSERT INTO ballots(poll, receipt, choice) VALUES(?, ?, ?)", seq, b.receipt,
                 choice);
        }
        if (!b.voter_tag.empty()) {
          db.Run(
              "INSERT OR REPLACE INTO revote_links(poll, voter_tag, sealed_receipt) "
              "VALUES(?, ?, ?)",
              seq, BlobRef{b.voter_tag}, BlobRef{b.sealed_receipt});
        }
        return Done{};
      },
      std::move(done));
}

void SqliteStore::Tally(std::string poll_id, int options, Callback<Tallies> done) {
  ReadOp<Tallies>(
      [seq = PollSeq(poll_id), options](Db& db) -> Result<Tallies> {
        Tallies t;
        t.votes.assign(options, 0);
        {
          auto q =
              db.Query("SELECT choice, count(*) FROM ballots WHERE poll = ? GROUP BY choice", seq);
          while (q.Step()) {
            const int64_t n = q.Int(0);
            if (n >= 1 && n <= options) t.votes[n - 1] = q.Int(1);
          }
        }
        auto q = db.Query("SELECT count(DISTINCT receipt) FROM ballots WHERE poll = ?", seq);
        if (q.Step()) t.ballots = q.Int(0);
        return t;
      },
      std::move(done));
}

void SqliteStore::FindBallot(std::string poll_id, std::string receipt,
                             Callback<std::vector<int>> done) {
  ReadOp<std::vector<int>>(
      [seq = PollSeq(poll_id), receipt = std::move(receipt)](Db& db) -> Result<std::vector<int>> {
        std::vector<int> choices;
        auto q =
            db.Query("SELECT choice FROM ballots WHERE poll = ? AND receipt = ? ORDER BY choice",
                     seq, receipt);
        while (q.Step()) choices.push_back(static_cast<int>(q.Int(0)));
        if (choices.empty()) return Status::NotFound();
        return choices;
      },
      std::move(done));
}

void SqliteStore::Ballots(std::string poll_id, Callback<std::vector<ExportedBallot>> done) {
  ReadOp<std::vector<ExportedBallot>>(
      [seq = PollSeq(poll_id)](Db& db) -> Result<std::vector<ExportedBallot>> {
        std::vector<ExportedBallot> out;
        auto q = db.Query(
            "SELECT receipt, choice FROM ballots WHERE poll = ? ORDER BY receipt, choice", seq);
        while (q.Step()) {
          std::string receipt = q.Text(0);
          if (out.empty() || out.back().receipt != receipt) out.push_back({std::move(receipt), {}});
          out.back().choices.push_back(static_cast<int>(q.Int(1)));
        }
        return out;
      },
      std::move(done));
}

void SqliteStore::FindRevoteLink(std::string poll_id, std::string voter_tag,
                                 Callback<RevoteLink> done) {
  // A write job: ordered after the ballot that may have just created the link.
  WriteOp<RevoteLink>(
      [seq = PollSeq(poll_id), tag = std::move(voter_tag)](Db& db) -> Result<RevoteLink> {
        auto q =
            db.Query("SELECT sealed_receipt FROM revote_links WHERE poll = ? AND voter_tag = ?",
                     seq, BlobRef{tag});
        if (!q.Step()) return Status::NotFound();
        return RevoteLink{tag, q.Blob(0)};
      },
      std::move(done));
}

void SqliteStore::DropRevoteLinks(std::string poll_id, Callback<Done> done) {
  WriteOp<Done>(
      [seq = PollSeq(poll_id)](Db& db) -> Result<Done> {
        db.Run("DELETE FROM revote_links WHERE poll = ?", seq);
        return Done{};
      },
      std::move(done));
}

}  // namespace caucus::store
