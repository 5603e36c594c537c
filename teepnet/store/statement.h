// One prepared SQLite statement (move-only; finalized on destruction). Parameters are bound
// by their 1-based index (`?1`, `?2` in the SQL), which keeps the SQL portable to PostgreSQL's
// `$1`-style placeholders by a mechanical rewrite.
#ifndef TEEPNET_STORE_STATEMENT_H_
#define TEEPNET_STORE_STATEMENT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace teepnet::store {

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binding copies the value (SQLITE_TRANSIENT), so arguments may die right after the call.
  Status BindInt(int index, int64_t value);
  Status BindText(int index, std::string_view value);
  Status BindBlob(int index, ByteView value);
  Status BindNull(int index);

  // Advances: true when a row is available, false when the statement is done.
  Result<bool> Step();
  // Steps a statement that must not return rows (INSERT/UPDATE/DELETE) to completion.
  Status Run();
  // Makes the statement runnable again and clears its bindings.
  void Reset();

  // Column accessors for the current row (0-based index).
  bool IsNull(int column) const;
  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  Bytes ColumnBlob(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Status CheckBind(int rc, int index);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_STATEMENT_H_
