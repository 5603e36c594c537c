// Schema migrations. A database records the migrations applied to it in `schema_migrations`;
// Migrate applies, in order and each in its own transaction, every migration whose version is
// above the recorded one. A database migrated by a newer build (a version this build does not
// know) is refused rather than used with a schema this code does not understand.
//
// Migrations are append-only: a released step is never edited, a change is a new step. Keep
// the SQL portable (INTEGER, TEXT, BLOB, PRIMARY KEY, UNIQUE, REFERENCES) so the same steps
// can be replayed on PostgreSQL with BLOB -> BYTEA.
#ifndef TEEPNET_STORE_MIGRATIONS_H_
#define TEEPNET_STORE_MIGRATIONS_H_

#include <span>
#include <string_view>

#include "teepnet/base/result.h"
#include "teepnet/store/database.h"

namespace teepnet::store {

struct Migration {
  int version;           // 1, 2, 3 ... strictly increasing
  std::string_view sql;  // one or more statements
};

// The highest applied version, 0 for a fresh database.
Result<int> SchemaVersion(Database& db);
// Brings `db` up to the last of `migrations` (kMigrationFailed, kSchemaTooNew).
Status Migrate(Database& db, std::span<const Migration> migrations);

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_MIGRATIONS_H_
