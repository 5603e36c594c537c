// A thin RAII layer over one SQLite connection: open (WAL, busy_timeout, foreign keys),
// run statements, prepare them. Only store/ includes <sqlite3.h>; callers see Result/Status
// with store::Errc reasons.
//
//   TEEPNET_ASSIGN_OR_RETURN(auto db, Database::Open(dir + "/moc.db"));
//   TEEPNET_ASSIGN_OR_RETURN(Statement s, db->Prepare("SELECT name FROM t WHERE id = ?1"));
//   TEEPNET_RETURN_IF_ERROR(s.BindInt(1, id));
//   TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
//
// A Database is one connection. SQLite serialises calls on it internally, but a
// Transaction spans several calls, so code that shares a Database between threads must
// also serialise whole transactions (ConnectionPool lends it to one caller at a time).
#ifndef TEEPNET_STORE_DATABASE_H_
#define TEEPNET_STORE_DATABASE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "teepnet/base/result.h"
#include "teepnet/store/statement.h"

struct sqlite3;

namespace teepnet::store {

struct DatabaseOptions {
  // How long a writer waits for another connection's lock before failing with kBusy.
  int busy_timeout_ms = 5000;
  // Write-ahead logging: readers do not block the writer, and one fsync per commit.
  bool wal = true;
  // Create the file when it does not exist (otherwise kOpenFailed).
  bool create = true;
};

class Database {
 public:
  // Opens (and by default creates) the database at `path`; ":memory:" gives a private
  // in-memory database (WAL does not apply to it).
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows (DDL, PRAGMA, BEGIN/COMMIT).
  Status Exec(std::string_view sql);
  // Compiles one statement. The Statement borrows this Database and must not outlive it.
  Result<Statement> Prepare(std::string_view sql);

  // The rowid of the last successful INSERT on this connection.
  int64_t LastInsertRowId() const;
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  int64_t Changes() const;
  const std::string& path() const { return path_; }
  // The journal mode SQLite reports ("wal", "memory", "delete").
  Result<std::string> JournalMode();

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_DATABASE_H_
