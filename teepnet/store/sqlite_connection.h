// SqlConnection over one SQLite database (database.h): WAL, synchronous=FULL, busy_timeout,
// foreign keys. Every transaction is BEGIN IMMEDIATE (serializable: one writer at a time).
//
// BEGIN IMMEDIATE, COMMIT and ROLLBACK are compiled once per connection (on first use) and
// stepped like any statement, instead of going through sqlite3_exec, which parses its text on
// every call: a TEEP step is one short transaction, and parsing the two words cost about as
// much as the step's own INSERT (callgrind of teepnet-moc, docs/PERFORMANCE.md round 3).
#ifndef TEEPNET_STORE_SQLITE_CONNECTION_H_
#define TEEPNET_STORE_SQLITE_CONNECTION_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "teepnet/store/database.h"
#include "teepnet/store/sql.h"

namespace teepnet::store {

class SqliteConnection final : public SqlConnection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                        const DatabaseOptions& options = {});

  Dialect dialect() const override { return Dialect::kSqlite; }
  Status Exec(std::string_view sql) override;
  Result<std::unique_ptr<SqlStatement>> Prepare(std::string_view sql) override;
  Status Begin(Isolation isolation) override;
  Status Commit() override;
  Status Rollback() override;
  Status LockMigrations() override { return OkStatus(); }
  void UnlockMigrations() override {}
  bool healthy() const override { return true; }

  Database& database() { return *db_; }

 private:
  explicit SqliteConnection(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  // Steps `*slot` (compiled from `sql` the first time) to completion and makes it runnable
  // again, so a cached statement never stays active between calls.
  Status RunCached(std::optional<Statement>& slot, std::string_view sql);

  std::unique_ptr<Database> db_;
  // Declared after db_: finalized before the connection closes.
  std::optional<Statement> begin_;
  std::optional<Statement> commit_;
  std::optional<Statement> rollback_;
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_SQLITE_CONNECTION_H_
