// Moving a deployment from SQLite to PostgreSQL (`caucusd store copy`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/result.h"

namespace caucus::store {

struct CopiedTable {
  std::string table;
  int64_t rows = 0;
};

// Copies every table of the SQLite store at `sqlite_path` (accounts with
// their password hashes, tokens, login history, lockouts, blocks, messages
// and offline queues, the board, polls with their options, rolls, voters'
// marks, ballots and revote links, the audit log) into the PostgreSQL
// database at `uri`, creating its schema if needed, in one transaction.
//
// Refuses (Failed, nothing written) a target that holds any row, and a
// source whose schema this build does not know. The source is read in one
// read transaction (a consistent snapshot), but a server still writing to
// it would go on without the copy: stop it first. Before the commit, the
// rows of every table are counted on both sides; any difference fails the
// copy and rolls it back. Returns the rows copied, per table.
//
// The marks and ballots are inserted in key order in one transaction, so
// the copy holds no more link between them than the source (pg_secrecy.h).
// Poll keys (revote polls) stay in the data directory, outside both.
Result<std::vector<CopiedTable>> CopySqliteToPostgres(const std::string& sqlite_path,
                                                      const std::string& uri);

}  // namespace caucus::store
