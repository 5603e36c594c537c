// SqlTamStore: the TAM's state (tam/tam_store.h) in SQLite (one file, WAL) or PostgreSQL
// (shared by several M/OC replicas), through the neutral SQL layer (sql.h).
//
// Each TamStore call runs as one transaction committed (SQLite synchronous=FULL, PostgreSQL
// COMMIT) before the call returns, so when TamCore hands its reply to the HTTP layer the state
// that reply depends on is already durable (DESIGN §6: "every protocol step that changes state
// commits before the reply leaves"). Token consumption is a compare-and-set in SQL (UPDATE ...
// WHERE consumed = 0, then a check that exactly one row changed): on PostgreSQL a second
// replica's UPDATE waits for the first one's row lock and then re-checks consumed = 0 on the
// committed row (READ COMMITTED), so two processes never both accept one token.
//
// Tables (see kTamSchema in the .cc): devices, packages, desired_state, device_status, tokens,
// plus schema_migrations. Scalar members that queries select on have their own columns; the
// nested per-device structures are one JSON column each (tam_state_json.h).
//
// Thread-safe: each call takes a connection from the pool (connection_pool.h) for its
// duration; nothing is cached in memory, so every replica sees the same state (DESIGN §9).
#ifndef TEEPNET_STORE_SQL_TAM_STORE_H_
#define TEEPNET_STORE_SQL_TAM_STORE_H_

#include <memory>
#include <string>

#include "teepnet/store/connection_pool.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::store {

struct SqlTamStoreOptions {
  PoolOptions pool;
  // At most this many unconsumed tokens per device; issuing one more deletes the oldest
  // (digest §5: "an optional per-device cap that evicts the oldest entry").
  size_t max_tokens_per_device = 16;
};

class SqlTamStore final : public tam::TamStore {
 public:
  // Opens the store at `url` (connection_pool.h: sqlite:PATH, a bare path, postgres://...),
  // creating an SQLite file when missing, and migrates it to the current schema.
  static Result<std::unique_ptr<SqlTamStore>> Open(const std::string& url,
                                                   const SqlTamStoreOptions& options = {});

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
  Dialect dialect() const { return pool_->dialect(); }

 private:
  SqlTamStore(std::unique_ptr<ConnectionPool> pool, SqlTamStoreOptions options)
      : pool_(std::move(pool)), options_(options) {}

  Status CommitOnce(const tam::TamTransaction& txn);
  Status ConsumeToken(SqlConnection& c, ByteView token, const std::optional<tam::DeviceId>& device);
  Status IssueToken(SqlConnection& c, const tam::TokenRecord& token);
  Status PutStatus(SqlConnection& c, ByteView device_id, const tam::DeviceStatus& status);
  Status PutDesired(SqlConnection& c, ByteView device_id, const tam::DesiredState& desired);

  std::unique_ptr<ConnectionPool> pool_;
  SqlTamStoreOptions options_;
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_SQL_TAM_STORE_H_
