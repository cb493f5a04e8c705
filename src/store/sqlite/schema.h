// The SQLite schema and its migrations, run in order at start.
#pragma once

#include "store/sqlite/sqlite_db.h"

namespace caucus::store {

// Brings the database to the latest schema version, each step in its own
// transaction. Throws SqliteError on failure, and when the database was
// written by a newer Caucus (a version this build does not know).
void Migrate(Db& db);

// The schema version this build writes.
int LatestSchemaVersion();

}  // namespace caucus::store
