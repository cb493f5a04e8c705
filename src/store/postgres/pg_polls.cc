// PgStore: polls, voter rolls, voters' marks and ballots.
//
// Secrecy: CastBallot writes the voter's mark (poll_voters) and the ballot
// (ballots, keyed by its random receipt) in the same transaction; no
// column relates the two rows, and the close of the poll rewrites both
// tables so that no system column or physical order does either
// (pg_secrecy.h). See docs/voting.md.
#include <map>

#include "store/postgres/pg_secrecy.h"
#include "store/postgres/pg_store.h"

namespace caucus::store {
namespace {

std::string PollId(int64_t seq) {
  std::string id = "p";
  id += std::to_string(seq);
  return id;
}

// An int[] parameter in PostgreSQL's text form: {1,2,3}.
std::string IntArray(const std::vector<int>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(values[i]);
  }
  out += '}';
  return out;
}

std::string IdArray(const std::vector<AccountId>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(values[i]);
  }
  out += '}';
  return out;
}

// Reads poll `seq` (every poll when seq < 0) with
// their options, rolls and voters: four statements, whatever the number.
std::vector<PollRecord> ReadPolls(PgConn& conn, int64_t seq) {
  const bool all = seq < 0;
  auto polls = all ? conn.Query(
                         "SELECT seq, title, flags, max_choices, state, opens_ms, closes_ms, "
                         "close_after_s, created_ms FROM polls ORDER BY seq")
                   : conn.Query(
                         "SELECT seq, title, flags, max_choices, state, opens_ms, closes_ms, "
                         "close_after_s, created_ms FROM polls WHERE seq = $1",
                         seq);
  std::vector<PollRecord> out;
  std::map<int64_t, size_t> index;
  for (int i = 0; i < polls.size(); ++i) {
    PollRecord p;
    p.id = PollId(polls.Int(i, 0));
    p.title = polls.Text(i, 1);
    p.flags = polls.Text(i, 2);
    p.max_choices = static_cast<int>(polls.Int(i, 3));
    p.state = static_cast<PollState>(polls.Int(i, 4));
    p.opens_ms = polls.Int(i, 5);
    p.closes_ms = polls.Int(i, 6);
    p.close_after_s = polls.Int(i, 7);
    p.created_ms = polls.Int(i, 8);
    index[polls.Int(i, 0)] = out.size();
    out.push_back(std::move(p));
  }
  if (out.empty()) return out;
  // $1 < 0 reads every poll's rows.
  auto options = conn.Query(
      "SELECT poll, label FROM poll_options WHERE $1 < 0 OR poll = $1 ORDER BY poll, number", seq);
  for (int i = 0; i < options.size(); ++i) {
    if (auto it = index.find(options.Int(i, 0)); it != index.end()) {
      out[it->second].options.push_back(options.Text(i, 1));
    }
  }
  auto roll = conn.Query(
      "SELECT poll, account_id FROM poll_roll WHERE $1 < 0 OR poll = $1 ORDER BY poll, account_id",
      seq);
  for (int i = 0; i < roll.size(); ++i) {
    if (auto it = index.find(roll.Int(i, 0)); it != index.end()) {
      out[it->second].roll.push_back(roll.Int(i, 1));
    }
  }
  auto voters = conn.Query(
      "SELECT poll, account_id FROM poll_voters WHERE $1 < 0 OR poll = $1 "
      "ORDER BY poll, account_id",
      seq);
  for (int i = 0; i < voters.size(); ++i) {
    if (auto it = index.find(voters.Int(i, 0)); it != index.end()) {
      out[it->second].voted.push_back(voters.Int(i, 1));
    }
  }
  return out;
}

}  // namespace

void PgStore::CreatePoll(PollRecord p, Callback<std::string> done) {
  WriteOp<std::string>(
      [this, p = std::move(p)](PgConn& conn) -> Result<std::string> {
        const int64_t seq =
            conn.Query(
                    "INSERT INTO polls(title, flags, max_choices, state, opens_ms, closes_ms, "
                    "close_after_s, created_ms) VALUES($1, $2, $3, $4, $5, $6, $7, $8) "
                    "RETURNING seq",
                    p.title, p.flags, p.max_choices, static_cast<int>(p.state), p.opens_ms,
                    p.closes_ms, p.close_after_s, p.created_ms)
                .Int(0, 0);
        for (size_t i = 0; i < p.options.size(); ++i) {
          conn.Run("INSERT INTO poll_options(poll, number, label) VALUES($1, $2, $3)", seq,
                   static_cast<int64_t>(i + 1), p.options[i]);
        }
        if (!p.roll.empty()) {
          conn.Run(
              "INSERT INTO poll_roll(poll, account_id) SELECT $1, unnest($2::bigint[]) "
              "ON CONFLICT DO NOTHING",
              seq, IdArray(p.roll));
        }
        NoteChangeIn(conn, "poll", PollId(seq));
        return PollId(seq);
      },
      std::move(done));
}

void PgStore::AddOption(std::string poll_id, int number, std::string label, Callback<Done> done) {
  WriteOp<Done>(
      [this, seq = PollSeq(poll_id), number,
       label = std::move(label)](PgConn& conn) -> Result<Done> {
        conn.Run("INSERT INTO poll_options(poll, number, label) VALUES($1, $2, $3)", seq, number,
                 label);
        NoteChangeIn(conn, "poll", PollId(seq));
        return Done{};
      },
      std::move(done));
}

void PgStore::AddToRoll(std::string poll_id, std::vector<AccountId> accounts, Callback<Done> done) {
  WriteOp<Done>(
      [this, seq = PollSeq(poll_id), accounts = IdArray(accounts)](PgConn& conn) -> Result<Done> {
        conn.Run(
            "INSERT INTO poll_roll(poll, account_id) SELECT $1, unnest($2::bigint[]) "
            "ON CONFLICT DO NOTHING",
            seq, accounts);
        NoteChangeIn(conn, "poll", PollId(seq));
        return Done{};
      },
      std::move(done));
}

void PgStore::SavePollState(const PollRecord& p, Callback<Done> done) {
  WriteOp<Done>(
      [this, seq = PollSeq(p.id), state = static_cast<int>(p.state), opens = p.opens_ms,
       closes = p.closes_ms](PgConn& conn) -> Result<Done> {
        auto before = conn.Query("SELECT state FROM polls WHERE seq = $1 FOR UPDATE", seq);
        if (before.size() == 0) return Status::NotFound();
        conn.Run("UPDATE polls SET state = $1, opens_ms = $2, closes_ms = $3 WHERE seq = $4", state,
                 opens, closes, seq);
        const int closed = static_cast<int>(PollState::kClosed);
        if (state == closed && before.Int(0, 0) != closed) {
          // The links between voters and ballots die with the close, and
          // the tables forget the order of the votes (pg_secrecy.h).
          conn.Run("DELETE FROM revote_links WHERE poll = $1", seq);
          RewriteBallotTables(conn);
        }
        NoteChangeIn(conn, "poll", PollId(seq));
        return Done{};
      },
      std::move(done));
}

void PgStore::DeletePoll(std::string poll_id, Callback<Done> done) {
  WriteOp<Done>(
      [this, seq = PollSeq(poll_id)](PgConn& conn) -> Result<Done> {
        if (conn.Query("SELECT 1 FROM polls WHERE seq = $1", seq).size() == 0) {
          return Status::NotFound();
        }
        conn.Run("DELETE FROM polls WHERE seq = $1", seq);
        conn.Run("DELETE FROM poll_options WHERE poll = $1", seq);
        conn.Run("DELETE FROM poll_roll WHERE poll = $1", seq);
        conn.Run("DELETE FROM poll_voters WHERE poll = $1", seq);
        conn.Run("DELETE FROM ballots WHERE poll = $1", seq);
        conn.Run("DELETE FROM revote_links WHERE poll = $1", seq);
        // The deleted rows leave the files too.
        RewriteBallotTables(conn);
        NoteChangeIn(conn, "poll", PollId(seq));
        return Done{};
      },
      std::move(done));
}

void PgStore::LoadPolls(Callback<std::vector<PollRecord>> done) {
  ReadOp<std::vector<PollRecord>>(
      [](PgConn& conn) -> Result<std::vector<PollRecord>> { return ReadPolls(conn, -1); },
      std::move(done));
}

void PgStore::LoadPoll(std::string poll_id, Callback<PollRecord> done) {
  ReadOp<PollRecord>(
      [seq = PollSeq(poll_id)](PgConn& conn) -> Result<PollRecord> {
        if (seq < 0) return Status::NotFound();
        auto polls = ReadPolls(conn, seq);
        if (polls.empty()) return Status::NotFound();
        return std::move(polls.front());
      },
      std::move(done));
}

// `state = 1` in CastBallot's statements.
static_assert(static_cast<int>(PollState::kOpen) == 1);

void PgStore::CastBallot(Ballot b, Callback<Done> done) {
  std::string choices = IntArray(b.choices);
  WriteOp<Done>(
      [b = std::move(b), choices = std::move(choices)](PgConn& conn) -> Result<Done> {
        const int64_t seq = PollSeq(b.poll_id);
        // The mark names the poll only if the poll is open in the database
        // when the statement runs, 0 otherwise, which the rule
        // poll_voters_poll_open refuses (kNotFound, see RunGuarded): a node
        // that accepted the vote while another node closed the poll gets
        // no ballot in after the close. The close's rewrite of the tables
        // (pg_secrecy.h) locks poll_voters, so a vote's insert runs either
        // wholly before the close or after its commit, and then sees it.
        if (b.replaces_receipt.empty()) {
          // The mark and the ballot in one statement: one execution per
          // vote in the group's pipeline. A second mark is a unique
          // violation, kConflict.
          conn.Run(
              "WITH mark AS (INSERT INTO poll_voters(poll, account_id) VALUES("
              "coalesce((SELECT seq FROM polls WHERE seq = $1 AND state = 1), 0), $2)) "
              "INSERT INTO ballots(poll, receipt, choice) SELECT $1, $3, unnest($4::int[])",
              seq, b.voter, b.receipt, choices);
        } else {
          conn.Run(
              "INSERT INTO poll_voters(poll, account_id) VALUES("
              "coalesce((SELECT seq FROM polls WHERE seq = $1 AND state = 1), 0), $2) "
              "ON CONFLICT DO NOTHING",
              seq, b.voter);
          conn.Run("DELETE FROM ballots WHERE poll = $1 AND receipt = $2", seq, b.replaces_receipt);
          conn.Run("INSERT INTO ballots(poll, receipt, choice) SELECT $1, $2, unnest($3::int[])",
                   seq, b.receipt, choices);
        }
        if (!b.voter_tag.empty()) {
          conn.Run(
              "INSERT INTO revote_links(poll, voter_tag, sealed_receipt) VALUES($1, $2, $3) "
              "ON CONFLICT (poll, voter_tag) DO UPDATE SET sealed_receipt = "
              "excluded.sealed_receipt",
              seq, Bytes{b.voter_tag}, Bytes{b.sealed_receipt});
        }
        return Done{};
      },
      std::move(done));
}

void PgStore::Tally(std::string poll_id, int options, Callback<Tallies> done) {
  ReadOp<Tallies>(
      [seq = PollSeq(poll_id), options](PgConn& conn) -> Result<Tallies> {
        Tallies t;
        t.votes.assign(options, 0);
        auto r =
            conn.Query("SELECT choice, count(*) FROM ballots WHERE poll = $1 GROUP BY choice", seq);
        for (int i = 0; i < r.size(); ++i) {
          const int64_t n = r.Int(i, 0);
          if (n >= 1 && n <= options) t.votes[n - 1] = r.Int(i, 1);
        }
        t.ballots = conn.Query("SELECT count(DISTINCT receipt) FROM ballots WHERE poll = $1", seq)
                        .Int(0, 0);
        return t;
      },
      std::move(done));
}

void PgStore::FindBallot(std::string poll_id, std::string receipt,
                         Callback<std::vector<int>> done) {
  ReadOp<std::vector<int>>(
      [seq = PollSeq(poll_id),
       receipt = std::move(receipt)](PgConn& conn) -> Result<std::vector<int>> {
        std::vector<int> choices;
        auto r = conn.Query(
            "SELECT choice FROM ballots WHERE poll = $1 AND receipt = $2 ORDER BY choice", seq,
            receipt);
        for (int i = 0; i < r.size(); ++i) choices.push_back(static_cast<int>(r.Int(i, 0)));
        if (choices.empty()) return Status::NotFound();
        return choices;
      },
      std::move(done));
}

void PgStore::Ballots(std::string poll_id, Callback<std::vector<ExportedBallot>> done) {
  ReadOp<std::vector<ExportedBallot>>(
      [seq = PollSeq(poll_id)](PgConn& conn) -> Result<std::vector<ExportedBallot>> {
        std::vector<ExportedBallot> out;
        auto r = conn.Query(
            "SELECT receipt, choice FROM ballots WHERE poll = $1 ORDER BY receipt, choice", seq);
        for (int i = 0; i < r.size(); ++i) {
          std::string receipt = r.Text(i, 0);
          if (out.empty() || out.back().receipt != receipt) out.push_back({std::move(receipt), {}});
          out.back().choices.push_back(static_cast<int>(r.Int(i, 1)));
        }
        return out;
      },
      std::move(done));
}

void PgStore::FindRevoteLink(std::string poll_id, std::string voter_tag,
                             Callback<RevoteLink> done) {
  // A write job: ordered after the ballot that may have just created the link.
  WriteOp<RevoteLink>(
      [seq = PollSeq(poll_id), tag = std::move(voter_tag)](PgConn& conn) -> Result<RevoteLink> {
        auto r =
            conn.Query("SELECT sealed_receipt FROM revote_links WHERE poll = $1 AND voter_tag = $2",
                       seq, Bytes{tag});
        if (r.size() == 0) return Status::NotFound();
        return RevoteLink{tag, r.Bytea(0, 0)};
      },
      std::move(done));
}

void PgStore::DropRevoteLinks(std::string poll_id, Callback<Done> done) {
  WriteOp<Done>(
      [seq = PollSeq(poll_id)](PgConn& conn) -> Result<Done> {
        conn.Run("DELETE FROM revote_links WHERE poll = $1", seq);
        return Done{};
      },
      std::move(done));
}

}  // namespace caucus::store
