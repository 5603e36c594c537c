// SqlConnection over one PostgreSQL session (libpq). Only pg_connection.cc includes
// <libpq-fe.h>. Statements run with PQexecParams: parameters are sent separately from the SQL
// (never spliced into it) and results come back in binary format, checked against the column
// types the portable schema uses (BIGINT/INTEGER, TEXT, BYTEA, BOOLEAN).
//
// Errors are classified by SQLSTATE: class 23 (integrity) is kConstraint, 40001 and 40P01 are
// kSerializationFailure (Code::kAborted: retry the transaction), class 08 and a closed
// connection are kConnectionFailed.
#ifndef TEEPNET_STORE_PG_CONNECTION_H_
#define TEEPNET_STORE_PG_CONNECTION_H_

#include <memory>
#include <string>

#include "teepnet/store/sql.h"

namespace teepnet::store {

struct PgConnectionOptions {
  // Gives up connecting after this long (libpq connect_timeout).
  int connect_timeout_s = 10;
};

// Connects to a postgres:// or postgresql:// URL (libpq's URI syntax, e.g.
// postgres://teepnet@127.0.0.1:5432/moc?options=-c%20search_path%3Dtest).
Result<std::unique_ptr<SqlConnection>> ConnectPostgres(const std::string& url,
                                                       const PgConnectionOptions& options = {});

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_PG_CONNECTION_H_
