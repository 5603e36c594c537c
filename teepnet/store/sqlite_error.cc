#include "teepnet/store/sqlite_error.h"

#include <sqlite3.h>

#include <string>

#include "teepnet/store/errc.h"

namespace teepnet::store::internal {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  // Extended codes carry the primary code in their low byte.
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Error(Errc::kBusy, std::move(message));
    case SQLITE_CONSTRAINT: return Error(Errc::kConstraint, std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Error(Errc::kCorrupt, std::move(message));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY: return Error(Errc::kOpenFailed, std::move(message));
    default: return Error(Errc::kSqlError, std::move(message));
  }
}

}  // namespace teepnet::store::internal
