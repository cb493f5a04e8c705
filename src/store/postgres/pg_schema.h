// The PostgreSQL schema and its migrations, run in order at start.
#pragma once

#include "store/postgres/pg_conn.h"

namespace caucus::store {

// Brings the database to the latest schema version, each step in its own
// transaction. Processes starting at once (the server, the command line)
// take turns through a session advisory lock (kMigrationLockKey), so no
// step runs twice. Throws PgError on failure, and when the database was
// written by a newer Caucus (a version this build does not know).
void MigratePostgres(PgConn& conn);

// The schema version this build writes.
int LatestPostgresSchemaVersion();

inline constexpr int64_t kMigrationLockKey = 0x6361756375730002;  // "caucus" 2

}  // namespace caucus::store
