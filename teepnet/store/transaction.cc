#include "teepnet/store/transaction.h"

#include <utility>

namespace teepnet::store {

Result<Transaction> Transaction::Begin(Database& db) {
  TEEPNET_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Database* db = std::exchange(db_, nullptr);
  if (db == nullptr) return OkStatus();
  Status status = db->Exec("COMMIT");
  // A failed COMMIT (e.g. busy) leaves the transaction open; end it so the connection is
  // usable again and the caller sees the whole change as not made.
  if (!status.ok()) (void)db->Exec("ROLLBACK");
  return status;
}

Status Transaction::Rollback() {
  Database* db = std::exchange(db_, nullptr);
  if (db == nullptr) return OkStatus();
  return db->Exec("ROLLBACK");
}

}  // namespace teepnet::store
