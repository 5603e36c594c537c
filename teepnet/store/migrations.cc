#include "teepnet/store/migrations.h"

#include <string>

#include "teepnet/store/errc.h"
#include "teepnet/store/transaction.h"

namespace teepnet::store {

namespace {

Status EnsureVersionTable(Database& db) {
  return db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "  version INTEGER PRIMARY KEY,"
      "  applied_at INTEGER NOT NULL)");
}

Status Apply(Database& db, const Migration& m) {
  TEEPNET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  // Re-check under the write lock: another process may have migrated meanwhile.
  TEEPNET_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  if (current >= m.version) return txn.Rollback();
  Status applied = db.Exec(m.sql);
  if (!applied.ok()) {
    return Error(Errc::kMigrationFailed,
                 "migration " + std::to_string(m.version) + ": " + applied.error().message());
  }
  TEEPNET_ASSIGN_OR_RETURN(Statement record,
                           db.Prepare("INSERT INTO schema_migrations (version, applied_at) "
                                      "VALUES (?1, CAST(strftime('%s','now') AS INTEGER))"));
  TEEPNET_RETURN_IF_ERROR(record.BindInt(1, m.version));
  TEEPNET_RETURN_IF_ERROR(record.Run());
  return txn.Commit();
}

}  // namespace

Result<int> SchemaVersion(Database& db) {
  TEEPNET_RETURN_IF_ERROR(EnsureVersionTable(db));
  TEEPNET_ASSIGN_OR_RETURN(Statement s,
                           db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Error(Errc::kSqlError, "schema_migrations: no result");
  return static_cast<int>(s.ColumnInt(0));
}

Status Migrate(Database& db, std::span<const Migration> migrations) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return Error(Errc::kMigrationFailed, "migration versions must increase, got " +
                                               std::to_string(m.version) + " after " +
                                               std::to_string(previous));
    }
    previous = m.version;
  }
  TEEPNET_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  if (current > previous) {
    return Error(Errc::kSchemaTooNew, db.path() + " has schema version " + std::to_string(current) +
                                          "; this build knows up to " + std::to_string(previous));
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    TEEPNET_RETURN_IF_ERROR(Apply(db, m));
  }
  return OkStatus();
}

}  // namespace teepnet::store
