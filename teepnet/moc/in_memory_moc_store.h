// A MocStore in memory, for tests and single-process demos. Commits are atomic (checked in full,
// then applied). Snapshot() returns the whole state as a comparable value so tests can assert
// that a refused step changed nothing, and a "restarted" M/OC can be built on a copy.
#ifndef TEEPNET_MOC_IN_MEMORY_MOC_STORE_H_
#define TEEPNET_MOC_IN_MEMORY_MOC_STORE_H_

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "teepnet/moc/moc_store.h"

namespace teepnet::moc {

class InMemoryMocStore final : public MocStore {
 public:
  struct State {
    std::map<std::string, Tenant, std::less<>> tenants;
    std::map<std::string, Package, std::less<>> packages;
    std::map<std::string, DeviceCapacity, std::less<>> devices;
    std::map<std::string, Request, std::less<>> requests;
    std::vector<RelayBlob> relay;
    std::vector<AuditEntry> audit;
    // (tenant id, key) -> record
    std::map<std::pair<std::string, std::string>, IdempotencyRecord> idempotency;
    size_t commits = 0;

    friend bool operator==(const State&, const State&) = default;
  };

  InMemoryMocStore() = default;
  explicit InMemoryMocStore(State state) : state_(std::move(state)) {}

  Status CreateTenant(const Tenant& tenant) override;
  Result<std::optional<Tenant>> FindTenant(std::string_view tenant_id) const override;
  Result<std::vector<Tenant>> ListTenants() const override;
  Status CreatePackage(const Package& package) override;
  Result<std::optional<Package>> FindPackage(std::string_view package_id) const override;
  Result<std::vector<Package>> ListPackages(std::string_view tenant_id) const override;
  Result<std::vector<PackageSummary>> FindPackagesByDigest(std::string_view tenant_id,
                                                           PackageKind kind,
                                                           ByteView digest) const override;
  Status PutDeviceCapacity(const DeviceCapacity& device) override;
  Status SetCapacityOverride(std::string_view device_id, std::optional<uint32_t> slot_limit,
                             const std::vector<InstanceType>& withheld_types) override;
  Result<std::optional<DeviceCapacity>> FindDevice(std::string_view device_id) const override;
  Result<std::vector<DeviceCapacity>> ListDevices() const override;
  Result<std::optional<Request>> FindRequest(std::string_view request_id) const override;
  Result<std::vector<Request>> ListRequests(std::string_view tenant_id) const override;
  Result<std::vector<Request>> ListInFlightRequests() const override;
  Result<std::optional<IdempotencyRecord>> FindIdempotencyKey(std::string_view tenant_id,
                                                              std::string_view key) const override;
  Result<std::vector<RelayBlob>> PendingRelay(std::string_view device_id) const override;
  Result<std::vector<AuditEntry>> RecentAudit(size_t max_entries) const override;
  Status Commit(const MocTransaction& txn) override;

  State Snapshot() const;
  // Makes the next `count` commits fail with moc::Errc::kStoreFailure (a database that is down).
  void FailNextCommits(size_t count);

 private:
  mutable std::mutex mu_;
  State state_;
  size_t fail_commits_ = 0;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_IN_MEMORY_MOC_STORE_H_
