#include "teepnet/store/sql_migrations.h"

#include <ctime>
#include <string>

#include "teepnet/store/errc.h"

namespace teepnet::store {

namespace {

constexpr std::string_view kDefaultLedger = "schema_migrations";

Status EnsureVersionTable(SqlConnection& connection, std::string_view ledger) {
  return connection.Exec("CREATE TABLE IF NOT EXISTS " + std::string(ledger) +
                         " ("
                         "  version INTEGER PRIMARY KEY,"
                         "  applied_at INTEGER NOT NULL)");
}

Result<int> ReadVersion(SqlConnection& connection, std::string_view ledger) {
  TEEPNET_ASSIGN_OR_RETURN(
      auto s, connection.Prepare("SELECT COALESCE(MAX(version), 0) FROM " + std::string(ledger)));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Error(Errc::kSqlError, std::string(ledger) + ": no result");
  return static_cast<int>(s->ColumnInt(0));
}

Status Apply(SqlConnection& connection, const Migration& m, std::string_view ledger,
             MigrationConversion convert) {
  TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(connection));
  // Re-check inside the transaction: another process may have migrated meanwhile.
  TEEPNET_ASSIGN_OR_RETURN(int current, ReadVersion(connection, ledger));
  if (current >= m.version) return txn.Rollback();
  Status applied = connection.Exec(m.sql);
  if (applied.ok() && convert != nullptr) applied = convert(connection, m.version);
  if (!applied.ok()) {
    return Error(Errc::kMigrationFailed,
                 "migration " + std::to_string(m.version) + ": " + applied.error().message());
  }
  TEEPNET_ASSIGN_OR_RETURN(auto record,
                           connection.Prepare("INSERT INTO " + std::string(ledger) +
                                              " (version, applied_at) VALUES (?1, ?2)"));
  TEEPNET_RETURN_IF_ERROR(record->BindInt(1, m.version));
  TEEPNET_RETURN_IF_ERROR(record->BindInt(2, static_cast<int64_t>(std::time(nullptr))));
  TEEPNET_RETURN_IF_ERROR(record->Run());
  return txn.Commit();
}

Status MigrateLocked(SqlConnection& connection, std::span<const Migration> migrations, int last,
                     std::string_view ledger, MigrationConversion convert) {
  TEEPNET_RETURN_IF_ERROR(EnsureVersionTable(connection, ledger));
  TEEPNET_ASSIGN_OR_RETURN(int current, ReadVersion(connection, ledger));
  if (current > last) {
    return Error(Errc::kSchemaTooNew, "the " + std::string(DialectName(connection.dialect())) +
                                          " store has schema version " + std::to_string(current) +
                                          "; this build knows up to " + std::to_string(last));
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    TEEPNET_RETURN_IF_ERROR(Apply(connection, m, ledger, convert));
  }
  return OkStatus();
}

}  // namespace

Result<int> SchemaVersion(SqlConnection& connection) {
  return SchemaVersion(connection, kDefaultLedger);
}

Result<int> SchemaVersion(SqlConnection& connection, std::string_view ledger) {
  TEEPNET_RETURN_IF_ERROR(EnsureVersionTable(connection, ledger));
  return ReadVersion(connection, ledger);
}

Status Migrate(SqlConnection& connection, std::span<const Migration> migrations) {
  return Migrate(connection, migrations, kDefaultLedger);
}

Status Migrate(SqlConnection& connection, std::span<const Migration> migrations,
               std::string_view ledger) {
  return Migrate(connection, migrations, ledger, nullptr);
}

Status Migrate(SqlConnection& connection, std::span<const Migration> migrations,
               std::string_view ledger, MigrationConversion convert) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return Error(Errc::kMigrationFailed, "migration versions must increase, got " +
                                               std::to_string(m.version) + " after " +
                                               std::to_string(previous));
    }
    previous = m.version;
  }
  TEEPNET_RETURN_IF_ERROR(connection.LockMigrations());
  Status status = MigrateLocked(connection, migrations, previous, ledger, convert);
  connection.UnlockMigrations();
  return status;
}

}  // namespace teepnet::store
