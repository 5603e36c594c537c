#include "teepnet/store/sqlite_connection.h"

#include "teepnet/store/sql_dialect.h"

namespace teepnet::store {

namespace {

class SqliteSqlStatement final : public SqlStatement {
 public:
  SqliteSqlStatement(Database* db, Statement statement)
      : db_(db), statement_(std::move(statement)) {}

  Status BindInt(int index, int64_t value) override { return statement_.BindInt(index, value); }
  Status BindText(int index, std::string_view value) override {
    return statement_.BindText(index, value);
  }
  Status BindBlob(int index, ByteView value) override { return statement_.BindBlob(index, value); }
  Status BindNull(int index) override { return statement_.BindNull(index); }

  Result<bool> Step() override {
    TEEPNET_ASSIGN_OR_RETURN(bool row, statement_.Step());
    // sqlite3_changes describes the connection's last finished INSERT/UPDATE/DELETE; read it
    // now, before another statement on the connection replaces it.
    if (!row) changes_ = db_->Changes();
    return row;
  }
  int64_t Changes() const override { return changes_; }
  void Reset() override {
    statement_.Reset();
    changes_ = 0;
  }

  bool IsNull(int column) const override { return statement_.IsNull(column); }
  int64_t ColumnInt(int column) const override { return statement_.ColumnInt(column); }
  std::string ColumnText(int column) const override { return statement_.ColumnText(column); }
  Bytes ColumnBlob(int column) const override { return statement_.ColumnBlob(column); }

 private:
  Database* db_;
  Statement statement_;
  int64_t changes_ = 0;
};

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 const DatabaseOptions& options) {
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, options));
  return std::unique_ptr<SqliteConnection>(new SqliteConnection(std::move(db)));
}

Status SqliteConnection::Exec(std::string_view sql) {
  return db_->Exec(TranslateSql(Dialect::kSqlite, sql));
}

Result<std::unique_ptr<SqlStatement>> SqliteConnection::Prepare(std::string_view sql) {
  TEEPNET_ASSIGN_OR_RETURN(Statement statement, db_->Prepare(TranslateSql(Dialect::kSqlite, sql)));
  return std::unique_ptr<SqlStatement>(new SqliteSqlStatement(db_.get(), std::move(statement)));
}

Status SqliteConnection::RunCached(std::optional<Statement>& slot, std::string_view sql) {
  if (!slot) {
    TEEPNET_ASSIGN_OR_RETURN(Statement compiled, db_->Prepare(sql));
    slot.emplace(std::move(compiled));
  }
  Status status = slot->Run();
  // Reset after success and failure alike: a failed statement must be reset before it can
  // run again, and a finished one is reset so nothing of it stays active on the connection.
  slot->Reset();
  return status;
}

Status SqliteConnection::Begin(Isolation /*isolation*/) {
  // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read
  // lock, and every SQLite transaction is serializable whatever was asked.
  return RunCached(begin_, "BEGIN IMMEDIATE");
}

Status SqliteConnection::Commit() {
  Status status = RunCached(commit_, "COMMIT");
  // A failed COMMIT (e.g. busy) leaves the transaction open; end it so the connection is
  // usable again and the caller sees the whole change as not made.
  if (!status.ok()) (void)Rollback();
  return status;
}

Status SqliteConnection::Rollback() {
  return RunCached(rollback_, "ROLLBACK");
}

}  // namespace teepnet::store
