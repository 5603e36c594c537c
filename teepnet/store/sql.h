// The backend-neutral SQL layer (DESIGN §6): one connection interface with an SQLite and a
// PostgreSQL implementation, so each store writes its SQL once.
//
//   TEEPNET_ASSIGN_OR_RETURN(auto pool, OpenPool("postgres://teepnet@127.0.0.1:5432/moc"));
//   TEEPNET_ASSIGN_OR_RETURN(ConnectionPool::Lease conn, pool->Acquire());
//   TEEPNET_ASSIGN_OR_RETURN(SqlTransaction txn, SqlTransaction::Begin(*conn));
//   TEEPNET_ASSIGN_OR_RETURN(auto s, conn->Prepare("UPDATE t SET v = ?2 WHERE id = ?1"));
//   ...
//   TEEPNET_RETURN_IF_ERROR(txn.Commit());
//
// SQL is written in the SQLite spelling with numbered parameters (?1, ?2) and the portable
// types INTEGER (64-bit), TEXT and BLOB; the PostgreSQL connection rewrites it (sql_dialect.h).
// Errors carry store::Errc reasons. Code::kAborted (kBusy, kSerializationFailure) means "run the
// whole transaction again"; a refused constraint is kConstraint.
//
// A connection is used by one thread at a time (the pool hands each out to one caller).
#ifndef TEEPNET_STORE_SQL_H_
#define TEEPNET_STORE_SQL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::store {

enum class Dialect : uint8_t { kSqlite, kPostgres };
std::string_view DialectName(Dialect dialect);

// One prepared statement; borrows its connection and must not outlive it.
class SqlStatement {
 public:
  virtual ~SqlStatement() = default;

  // 1-based, as in the SQL (?1). Values are copied, so arguments may die after the call.
  virtual Status BindInt(int index, int64_t value) = 0;
  virtual Status BindText(int index, std::string_view value) = 0;
  virtual Status BindBlob(int index, ByteView value) = 0;
  virtual Status BindNull(int index) = 0;

  // Runs the statement on the first call; true while a row is available.
  virtual Result<bool> Step() = 0;
  // Steps a statement that must not return rows to completion.
  Status Run();
  // Rows an INSERT/UPDATE/DELETE changed, once it finished (the compare-and-set check).
  virtual int64_t Changes() const = 0;
  // Makes the statement runnable again and clears its bindings.
  virtual void Reset() = 0;

  // Column accessors for the current row (0-based). A column the schema declares INTEGER reads
  // with ColumnInt, TEXT with ColumnText, BLOB with ColumnBlob.
  virtual bool IsNull(int column) const = 0;
  virtual int64_t ColumnInt(int column) const = 0;
  virtual std::string ColumnText(int column) const = 0;
  virtual Bytes ColumnBlob(int column) const = 0;
};

enum class Isolation : uint8_t {
  // PostgreSQL READ COMMITTED: each statement sees the rows committed before it started, and an
  // UPDATE re-checks its WHERE clause on a row another transaction changed meanwhile, which is
  // what makes "UPDATE ... WHERE consumed = 0" a compare-and-set across replicas.
  kReadCommitted,
  // SERIALIZABLE: the transaction fails with kSerializationFailure (retry it) instead of acting
  // on data another transaction changed concurrently. SQLite is always serializable (one
  // writer at a time, BEGIN IMMEDIATE).
  kSerializable,
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Dialect dialect() const = 0;

  // Runs one or more statements without parameters or rows (DDL, BEGIN, COMMIT).
  virtual Status Exec(std::string_view sql) = 0;
  // Compiles one statement.
  virtual Result<std::unique_ptr<SqlStatement>> Prepare(std::string_view sql) = 0;

  // Transaction control; use SqlTransaction rather than these.
  virtual Status Begin(Isolation isolation) = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // Serialises schema migrations between processes sharing the database (a PostgreSQL advisory
  // lock; SQLite's write lock already does this). Release is called once per successful Lock.
  virtual Status LockMigrations() = 0;
  virtual void UnlockMigrations() = 0;

  // False once the connection is known to be unusable (the server went away); the pool then
  // drops it instead of handing it out again.
  virtual bool healthy() const = 0;
};

// A transaction that rolls back unless committed.
class SqlTransaction {
 public:
  static Result<SqlTransaction> Begin(SqlConnection& connection,
                                      Isolation isolation = Isolation::kReadCommitted);
  SqlTransaction(SqlTransaction&& other) noexcept;
  SqlTransaction& operator=(SqlTransaction&&) = delete;
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  ~SqlTransaction();

  // Durable when it returns OK. A failed commit leaves nothing applied.
  Status Commit();
  Status Rollback();

 private:
  explicit SqlTransaction(SqlConnection* connection) : connection_(connection) {}
  SqlConnection* connection_;  // null once finished or moved from
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_SQL_H_
