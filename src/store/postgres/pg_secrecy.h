// Ballot secrecy on PostgreSQL: what a poll's close does to the tables.
//
// On SQLite the voters' marks and the ballots share nothing but the poll.
// On PostgreSQL every row also carries system columns any SELECT can read:
// xmin, the transaction that inserted it (a voter's mark and ballot are
// committed together, so they share it), and ctid, its place in the file
// (rows are appended in arrival order, so the n-th mark and the n-th
// ballot belong together). Deleted rows stay in the file until a vacuum.
//
// RewriteBallotTables() removes all of that. Inside the calling write
// transaction it copies the marks, the ballots and the revote links aside,
// TRUNCATEs the three tables (new, empty files; the old ones are unlinked
// at the commit, dead rows and all) and inserts the rows back sorted by
// their keys (marks by account, ballots by their random receipt). After the
// commit every row of the three tables has the same xmin, the rewriting
// transaction's, and the physical order of the rows is the order of their
// keys: nothing but the poll relates a mark to a ballot. PgStore calls it
// in the transaction that closes a poll (and that deletes one), so the
// close is answered only once it holds.
//
// REQUIRES: a write transaction (PgEngine's writer connection); it takes
// ACCESS EXCLUSIVE locks on the three tables until the commit. The cost is
// a copy of the three tables, all polls included.
#pragma once

#include "store/postgres/pg_conn.h"

namespace caucus::store {

void RewriteBallotTables(PgConn& conn);

}  // namespace caucus::store
