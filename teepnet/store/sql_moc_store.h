// SqlMocStore: the M/OC's user-side state (moc/moc_store.h) in SQLite or PostgreSQL, through
// the neutral SQL layer (sql.h), usually in the same database as the TAM's state (SqlTamStore,
// one --store URL).
//
// Every call is one transaction, committed before it returns. Commit(MocTransaction) applies
// its request, slot, relay and audit changes together or not at all, and decides races between
// replicas in SQL rather than in memory:
//   - the request version is a compare-and-set (INSERT ... ON CONFLICT DO NOTHING for version
//     1, UPDATE ... WHERE version = v - 1 after that, then a check that one row changed); on
//     PostgreSQL READ COMMITTED the second replica's UPDATE waits for the first one's row lock
//     and re-checks the version on the committed row, so exactly one of them wins;
//   - taking a slot is UPDATE ... WHERE slots_used < slots_total, so two requests never share
//     the last slot.
// Since the outbox lives in the request row, taking an action out of it goes through the same
// version check: two replicas resuming one request cannot both claim its actions.
//
// Tables (kMocSchema in the .cc, versions recorded in moc_schema_migrations so they do not mix
// with the TAM's): moc_tenants, moc_packages, moc_devices, moc_requests (the request as one
// JSON document, moc_request_json.h, plus the columns queries select on), moc_relay, moc_audit,
// moc_idempotency_keys (schema version 3).
#ifndef TEEPNET_STORE_SQL_MOC_STORE_H_
#define TEEPNET_STORE_SQL_MOC_STORE_H_

#include <memory>
#include <string>

#include "teepnet/moc/moc_store.h"
#include "teepnet/store/connection_pool.h"
#include "teepnet/store/statement_cache.h"

namespace teepnet::store {

class SqlMocStore final : public moc::MocStore {
 public:
  // Opens the store at `url` (connection_pool.h) and migrates the M/OC's tables.
  static Result<std::unique_ptr<SqlMocStore>> Open(const std::string& url,
                                                   const PoolOptions& options = {});

  Status CreateTenant(const moc::Tenant& tenant) override;
  Result<std::optional<moc::Tenant>> FindTenant(std::string_view tenant_id) const override;
  Result<std::vector<moc::Tenant>> ListTenants() const override;
  Status CreatePackage(const moc::Package& package) override;
  Result<std::optional<moc::Package>> FindPackage(std::string_view package_id) const override;
  Result<std::vector<moc::Package>> ListPackages(std::string_view tenant_id) const override;
  Result<std::vector<moc::PackageSummary>> FindPackagesByDigest(std::string_view tenant_id,
                                                                moc::PackageKind kind,
                                                                ByteView digest) const override;
  Status PutDeviceCapacity(const moc::DeviceCapacity& device) override;
  Status SetCapacityOverride(std::string_view device_id, std::optional<uint32_t> slot_limit,
                             const std::vector<moc::InstanceType>& withheld_types) override;
  Result<std::optional<moc::DeviceCapacity>> FindDevice(std::string_view device_id) const override;
  Result<std::vector<moc::DeviceCapacity>> ListDevices() const override;
  Result<std::optional<moc::Request>> FindRequest(std::string_view request_id) const override;
  Result<std::vector<moc::Request>> ListRequests(std::string_view tenant_id) const override;
  Result<std::vector<moc::Request>> ListInFlightRequests() const override;
  Result<bool> AnyRequestInFlight() const override;
  Result<std::optional<moc::IdempotencyRecord>> FindIdempotencyKey(
      std::string_view tenant_id, std::string_view key) const override;
  Result<std::vector<moc::RelayBlob>> PendingRelay(std::string_view device_id) const override;
  Result<std::vector<moc::AuditEntry>> RecentAudit(size_t max_entries) const override;
  Status Commit(const moc::MocTransaction& txn) override;

  // The schema version of the M/OC's tables this build writes.
  static int CurrentSchemaVersion();
  Dialect dialect() const { return pool_->dialect(); }

 private:
  explicit SqlMocStore(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

  Status CommitOnce(const moc::MocTransaction& txn);

  std::unique_ptr<ConnectionPool> pool_;
  // The request loop's statements (AnyRequestInFlight, ListInFlightRequests), which run on
  // every TEEP step the TAM commits, compiled once per SQLite connection. Declared after the
  // pool, so they are finalized before its connection closes.
  mutable StatementCache statements_;
};

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_SQL_MOC_STORE_H_
