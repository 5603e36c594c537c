// What differs between the SQL dialects, as one rewrite of SQL written in the SQLite spelling
// (sql.h). Besides the rewrite, two markers expand per dialect:
//   {{serial}}  an auto-numbered 64-bit primary key column type
//               (SQLite: INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL: an identity column)
//   {{rowid}}   the first item of a CREATE TABLE column list: nothing on SQLite, whose tables
//               have an implicit rowid in insertion order; an identity column named rowid on
//               PostgreSQL, so "ORDER BY rowid" means insertion order on both
// PostgreSQL additionally gets $N for ?N, BIGINT for INTEGER (SQLite integers are 64-bit) and
// BYTEA for BLOB. Quoted literals and identifiers are copied unchanged.
#ifndef TEEPNET_STORE_SQL_DIALECT_H_
#define TEEPNET_STORE_SQL_DIALECT_H_

#include <string>
#include <string_view>

#include "teepnet/store/sql.h"

namespace teepnet::store {

std::string TranslateSql(Dialect dialect, std::string_view sql);

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_SQL_DIALECT_H_
