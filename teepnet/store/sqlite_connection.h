// SqlConnection over one SQLite database (database.h): WAL, synchronous=FULL, busy_timeout,
// foreign keys. Every transaction is BEGIN IMMEDIATE (serializable: one writer at a time).
#ifndef TEEPNET_STORE_SQLITE_CONNECTION_H_
#define TEEPNET_STORE_SQLITE_CONNECTION_H_

#include <memory>
#include <string>

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
  std::unique_ptr<Database> db_;
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_SQLITE_CONNECTION_H_
