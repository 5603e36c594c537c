#include "teepnet/store/database.h"

#include <sqlite3.h>

#include "teepnet/store/errc.h"
#include "teepnet/store/sqlite_error.h"

namespace teepnet::store {

using internal::SqliteError;

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const DatabaseOptions& options) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(raw, rc, "open " + path);
    sqlite3_close(raw);  // sqlite3_open_v2 allocates a handle even on failure
    return Error(Errc::kOpenFailed, error.message());
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  sqlite3_extended_result_codes(raw, 1);
  rc = sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  if (rc != SQLITE_OK) return SqliteError(raw, rc, "busy_timeout");
  // Reading the first page here turns "not a database" into an open-time error instead of
  // a surprise on the first query.
  TEEPNET_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON"));
  if (options.wal && path != ":memory:") {
    TEEPNET_ASSIGN_OR_RETURN(Statement mode, db->Prepare("PRAGMA journal_mode = WAL"));
    TEEPNET_ASSIGN_OR_RETURN(bool row, mode.Step());
    if (!row || mode.ColumnText(0) != "wal") {
      return Error(Errc::kOpenFailed, path + ": the file system does not allow WAL mode");
    }
    // FULL: each commit is on disk before Commit() returns, so a reply that follows a
    // commit never describes state that a crash could lose (DESIGN §6).
    TEEPNET_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = FULL"));
  }
  return db;
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

Status Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // the same text is in sqlite3_errmsg
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "exec");
  return OkStatus();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
  if (stmt == nullptr) return Error(Errc::kSqlError, "prepare: empty statement");
  Statement statement(db_, stmt);
  // One statement per Prepare: trailing SQL would silently never run.
  for (const char* p = tail; p != nullptr && p < sql.data() + sql.size(); ++p) {
    if (*p != ' ' && *p != '\n' && *p != '\t' && *p != ';' && *p != '\r') {
      return Error(Errc::kSqlError, "prepare: more than one statement");
    }
  }
  return statement;
}

int64_t Database::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

int64_t Database::Changes() const {
  return sqlite3_changes64(db_);
}

Result<std::string> Database::JournalMode() {
  TEEPNET_ASSIGN_OR_RETURN(Statement s, Prepare("PRAGMA journal_mode"));
  TEEPNET_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Error(Errc::kSqlError, "PRAGMA journal_mode returned nothing");
  return s.ColumnText(0);
}

}  // namespace teepnet::store
