// Reasons for store/ failures. The canonical codes follow the retry guidance in base/error.h:
// a busy or locked database and a PostgreSQL serialization failure or deadlock are kAborted
// (run the whole transaction again), a lost server connection is kUnavailable, a schema newer
// than this build is kFailedPrecondition (upgrade the program first), a broken file is
// kDataLoss.
#ifndef TEEPNET_STORE_ERRC_H_
#define TEEPNET_STORE_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::store {

enum class Errc : uint16_t {
  kOpenFailed = 1,        // the database file could not be opened or created
  kSqlError,              // SQLite refused a statement (syntax, misuse, I/O)
  kBusy,                  // the database stayed locked past busy_timeout
  kConstraint,            // a UNIQUE / NOT NULL / FOREIGN KEY constraint refused a write
  kCorrupt,               // the file is not a database or is damaged
  kSchemaTooNew,          // the file was migrated by a newer build than this one
  kMigrationFailed,       // a migration step failed; the transaction was rolled back
  kNotFound,              // the row a caller named does not exist
  kBadColumn,             // a stored value does not have the type or shape the schema promises
  kSerializationFailure,  // PostgreSQL: a concurrent transaction won (40001) or deadlock
  kConnectionFailed,      // PostgreSQL: the server cannot be reached or went away
  kBadUrl,                // a store URL this build cannot open
};

}  // namespace teepnet::store

namespace teepnet {
template <>
struct ErrcTraits<store::Errc> {
  static constexpr Domain kDomain = Domain::kStore;
  static Code CodeOf(store::Errc e) {
    switch (e) {
      case store::Errc::kBusy:
      case store::Errc::kSerializationFailure: return Code::kAborted;
      case store::Errc::kConnectionFailed: return Code::kUnavailable;
      case store::Errc::kBadUrl: return Code::kInvalidArgument;
      case store::Errc::kConstraint: return Code::kAlreadyExists;
      case store::Errc::kCorrupt:
      case store::Errc::kBadColumn: return Code::kDataLoss;
      case store::Errc::kSchemaTooNew: return Code::kFailedPrecondition;
      case store::Errc::kNotFound: return Code::kNotFound;
      default: return Code::kInternal;
    }
  }
  static std::string_view NameOf(store::Errc e) {
    switch (e) {
      case store::Errc::kOpenFailed: return "open-failed";
      case store::Errc::kSqlError: return "sql-error";
      case store::Errc::kBusy: return "busy";
      case store::Errc::kConstraint: return "constraint";
      case store::Errc::kCorrupt: return "corrupt";
      case store::Errc::kSchemaTooNew: return "schema-too-new";
      case store::Errc::kMigrationFailed: return "migration-failed";
      case store::Errc::kNotFound: return "not-found";
      case store::Errc::kBadColumn: return "bad-column";
      case store::Errc::kSerializationFailure: return "serialization-failure";
      case store::Errc::kConnectionFailed: return "connection-failed";
      case store::Errc::kBadUrl: return "bad-url";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_STORE_ERRC_H_
