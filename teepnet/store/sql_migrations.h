// Schema migrations over the neutral layer (sql.h), for SQLite and PostgreSQL alike. Same
// rules as migrations.h: append-only steps, each applied in its own transaction and recorded
// in schema_migrations, a database from a newer build refused with kSchemaTooNew. The step SQL
// is written once in the SQLite spelling (sql_dialect.h rewrites it for PostgreSQL, whose DDL
// is transactional too).
//
// Replicas starting together: on PostgreSQL the whole run holds an advisory lock, so exactly
// one of them applies each step and the others find it applied; on SQLite BEGIN IMMEDIATE and
// a re-check under the write lock do the same.
#ifndef TEEPNET_STORE_SQL_MIGRATIONS_H_
#define TEEPNET_STORE_SQL_MIGRATIONS_H_

#include <span>
#include <string_view>

#include "teepnet/base/result.h"
#include "teepnet/store/migrations.h"
#include "teepnet/store/sql.h"

namespace teepnet::store {

// The highest applied version, 0 for a fresh database.
Result<int> SchemaVersion(SqlConnection& connection);
// Brings the database up to the last of `migrations` (kMigrationFailed, kSchemaTooNew).
Status Migrate(SqlConnection& connection, std::span<const Migration> migrations);
// The same for a second, independent list of steps sharing the database (the M/OC's tables
// next to the TAM's): its versions are recorded in their own table `ledger` (a constant name),
// so neither list's "schema too new" check sees the other's versions.
Status Migrate(SqlConnection& connection, std::span<const Migration> migrations,
               std::string_view ledger);
Result<int> SchemaVersion(SqlConnection& connection, std::string_view ledger);

// Rewrites rows in C++ for a step whose SQL alone cannot (a column changed its encoding).
// Called with each step's version right after that step's SQL, inside its transaction and
// under the same lock, so the rows are converted once and atomically with the schema change
// (an error rolls the step back: kMigrationFailed). OkStatus for versions it has nothing for.
using MigrationConversion = Status (*)(SqlConnection& connection, int version);
Status Migrate(SqlConnection& connection, std::span<const Migration> migrations,
               std::string_view ledger, MigrationConversion convert);

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_SQL_MIGRATIONS_H_
