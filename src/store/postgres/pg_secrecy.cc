#include "store/postgres/pg_secrecy.h"

namespace caucus::store {

void RewriteBallotTables(PgConn& conn) {
  // The same order as the writes of a ballot (marks, ballots, links): no
  // deadlock with another process's writer voting meanwhile.
  conn.Run("LOCK TABLE poll_voters, ballots, revote_links IN ACCESS EXCLUSIVE MODE");
  // Session-local tables (never WAL-logged, emptied at the commit) that
  // hold the rows while their tables are emptied.
  conn.Run(
      "CREATE TEMPORARY TABLE IF NOT EXISTS kept_voters (LIKE poll_voters) "
      "ON COMMIT DELETE ROWS");
  conn.Run(
      "CREATE TEMPORARY TABLE IF NOT EXISTS kept_ballots (LIKE ballots) "
      "ON COMMIT DELETE ROWS");
  conn.Run(
      "CREATE TEMPORARY TABLE IF NOT EXISTS kept_links (LIKE revote_links) "
      "ON COMMIT DELETE ROWS");
  conn.Run("INSERT INTO kept_voters SELECT poll, account_id FROM poll_voters");
  conn.Run("INSERT INTO kept_ballots SELECT poll, receipt, choice FROM ballots");
  conn.Run("INSERT INTO kept_links SELECT poll, voter_tag, sealed_receipt FROM revote_links");
  conn.Run("TRUNCATE poll_voters, ballots, revote_links");
  conn.Run(
      "INSERT INTO poll_voters(poll, account_id) SELECT poll, account_id FROM kept_voters "
      "ORDER BY poll, account_id");
  conn.Run(
      "INSERT INTO ballots(poll, receipt, choice) SELECT poll, receipt, choice FROM kept_ballots "
      "ORDER BY poll, receipt, choice");
  conn.Run(
      "INSERT INTO revote_links(poll, voter_tag, sealed_receipt) "
      "SELECT poll, voter_tag, sealed_receipt FROM kept_links ORDER BY poll, voter_tag");
  // Emptied now, not only at the commit: a second close in the same
  // transaction starts from empty tables.
  conn.Run("TRUNCATE kept_voters, kept_ballots, kept_links");
}

}  // namespace caucus::store
