// Turns an SQLite result code into an Error with a store::Errc reason (store-internal).
#ifndef TEEPNET_STORE_SQLITE_ERROR_H_
#define TEEPNET_STORE_SQLITE_ERROR_H_

#include <string_view>

#include "teepnet/base/error.h"

struct sqlite3;

namespace teepnet::store::internal {

// `db` may be null (open failures); its errmsg is appended when present.
Error SqliteError(sqlite3* db, int rc, std::string_view what);

}  // namespace teepnet::store::internal

#endif  // TEEPNET_STORE_SQLITE_ERROR_H_
