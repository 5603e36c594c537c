// SqliteTamStore: the TAM's state (tam/tam_store.h) in one SQLite file, WAL mode.
//
// Each TamStore call runs as one transaction committed (synchronous=FULL) before the call
// returns, so when TamCore hands its reply to the HTTP layer the state that reply depends on
// is already durable (DESIGN §6: "every protocol step that changes state commits before the
// reply leaves"). Token consumption is a compare-and-set in SQL (UPDATE ... WHERE consumed =
// 0), so two processes sharing the file cannot both accept one token.
//
// Tables (see kTamSchema in the .cc): devices, packages, desired_state, device_status, tokens,
// plus schema_migrations. Scalar members that queries select on have their own columns; the
// nested per-device structures are one JSON column each (tam_state_json.h).
//
// Thread-safe: one connection, calls serialised by a mutex (SQLite allows one writer anyway).
#ifndef TEEPNET_STORE_SQLITE_TAM_STORE_H_
#define TEEPNET_STORE_SQLITE_TAM_STORE_H_

#include <memory>
#include <mutex>
#include <string>

#include "teepnet/store/database.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::store {

struct SqliteTamStoreOptions {
  DatabaseOptions database;
  // At most this many unconsumed tokens per device; issuing one more deletes the oldest
  // (digest §5: "an optional per-device cap that evicts the oldest entry").
  size_t max_tokens_per_device = 16;
};

class SqliteTamStore final : public tam::TamStore {
 public:
  // Opens or creates the database at `path` and migrates it to the current schema.
  static Result<std::unique_ptr<SqliteTamStore>> Open(const std::string& path,
                                                      const SqliteTamStoreOptions& options = {});

  Status PutDevice(const tam::DeviceRecord& device) override;
  Status RemoveDevice(ByteView device_id) override;
  Result<std::optional<tam::DeviceRecord>> FindDevice(ByteView device_id) const override;
  Result<std::vector<tam::DeviceRecord>> ListDevices() const override;
  Status PutPackage(const tam::Package& package) override;
  Result<std::optional<tam::Package>> FindPackage(const suit::ComponentId& manifest_id,
                                                  uint64_t sequence_number) const override;
  Result<std::optional<tam::Package>> FindLatestPackage(
      const suit::ComponentId& manifest_id) const override;
  Result<tam::DesiredState> GetDesiredState(ByteView device_id) const override;
  Status SetDesiredState(ByteView device_id, const tam::DesiredState& desired) override;
  Result<std::optional<tam::DeviceStatus>> GetStatus(ByteView device_id) const override;
  Result<std::optional<tam::TokenRecord>> FindToken(ByteView token) const override;
  Result<size_t> PurgeTokens(int64_t now_unix) override;
  Status Commit(const tam::TamTransaction& txn) override;

  // The schema version this build writes.
  static int CurrentSchemaVersion();

 private:
  SqliteTamStore(std::unique_ptr<Database> db, SqliteTamStoreOptions options)
      : db_(std::move(db)), options_(options) {}

  Status ConsumeTokenLocked(ByteView token, const std::optional<tam::DeviceId>& device);
  Status IssueTokenLocked(const tam::TokenRecord& token);
  Status PutStatusLocked(ByteView device_id, const tam::DeviceStatus& status);
  Status PutDesiredLocked(ByteView device_id, const tam::DesiredState& desired);

  mutable std::mutex mu_;
  std::unique_ptr<Database> db_;
  SqliteTamStoreOptions options_;
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_SQLITE_TAM_STORE_H_
