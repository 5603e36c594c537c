#include "teepnet/store/sql.h"

#include <utility>

#include "teepnet/store/errc.h"

namespace teepnet::store {

std::string_view DialectName(Dialect dialect) {
  switch (dialect) {
    case Dialect::kSqlite: return "sqlite";
    case Dialect::kPostgres: return "postgres";
  }
  return "unknown";
}

Status SqlStatement::Run() {
  TEEPNET_ASSIGN_OR_RETURN(bool row, Step());
  if (row) return Error(Errc::kSqlError, "run: the statement returned rows");
  return OkStatus();
}

Result<SqlTransaction> SqlTransaction::Begin(SqlConnection& connection, Isolation isolation) {
  TEEPNET_RETURN_IF_ERROR(connection.Begin(isolation));
  return SqlTransaction(&connection);
}

SqlTransaction::SqlTransaction(SqlTransaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

SqlTransaction::~SqlTransaction() {
  if (connection_ != nullptr) (void)connection_->Rollback();
}

Status SqlTransaction::Commit() {
  SqlConnection* connection = std::exchange(connection_, nullptr);
  if (connection == nullptr) return OkStatus();
  return connection->Commit();
}

Status SqlTransaction::Rollback() {
  SqlConnection* connection = std::exchange(connection_, nullptr);
  if (connection == nullptr) return OkStatus();
  return connection->Rollback();
}

}  // namespace teepnet::store
