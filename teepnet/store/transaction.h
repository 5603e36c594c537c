// A write transaction (BEGIN IMMEDIATE ... COMMIT) that rolls back unless committed.
//
//   TEEPNET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
//   ... statements ...
//   TEEPNET_RETURN_IF_ERROR(txn.Commit());   // durable when this returns
//
// IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read
// lock; a writer that waits longer than busy_timeout gets kBusy (retryable).
#ifndef TEEPNET_STORE_TRANSACTION_H_
#define TEEPNET_STORE_TRANSACTION_H_

#include "teepnet/base/result.h"
#include "teepnet/store/database.h"

namespace teepnet::store {

class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back when neither Commit() nor Rollback() ran.
  ~Transaction();

  Status Commit();
  Status Rollback();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once finished or moved from
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_TRANSACTION_H_
