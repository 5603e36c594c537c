// MocStore: everything the M/OC's user side remembers (DESIGN §6), behind one interface so the
// services layer can back it with SQL (next round, on teepnet/store) and tests with
// InMemoryMocStore.
//
//   tenants   id -> name, SHA-256 of the bearer token (never the token)
//   packages  id -> owner tenant, kind, SUIT envelope, digest
//   requests  id -> the request with its step history and action outbox (model.h)
//   devices   id -> capacity record (architecture as attested, instance types, slots)
//   relay     per device: sealed blobs waiting for the device's Broker, in order, until the
//             request's receipt commits (or the request ends)
//   audit     append-only log of who did what
//   idempotency keys  (tenant, key) -> the request a POST with that key created
//
// A request step changes state through exactly one Commit(MocTransaction), which applies all of
// it or none of it, and request_service.h acknowledges the step only after Commit succeeded
// (DESIGN §6: "Every protocol step that changes state commits before the reply leaves").
#ifndef TEEPNET_MOC_MOC_STORE_H_
#define TEEPNET_MOC_MOC_STORE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/moc/model.h"

namespace teepnet::moc {

struct MocTransaction {
  // Inserts or replaces the request. Compare-and-set on the version: the store refuses the
  // whole transaction with moc::Errc::kConcurrentUpdate unless the stored version equals
  // `request->version - 1` (absent when `request->version == 1`), so two replicas acting on one
  // request cannot both win.
  std::optional<Request> request;
  // Takes one slot on this device; refused with moc::Errc::kNoCapacity when none is free.
  std::optional<std::string> reserve_slot;
  // Gives one slot back on this device (a failed request).
  std::optional<std::string> release_slot;
  std::optional<RelayBlob> enqueue;
  // Removes this request's relay blobs from its device's queue (delivered, or the request
  // ended): nothing is left for the Broker to pick up. Removing nothing is not an error.
  std::optional<std::string> dequeue;
  std::vector<AuditEntry> audit;
  // Records the key a request is created under. Checked before anything else: refused with
  // moc::Errc::kIdempotencyKeyReused when the tenant already used the key, whatever it named
  // (the caller reads the stored record to tell a repeat from a reuse), and nothing applies.
  std::optional<IdempotencyRecord> idempotency;
};

class MocStore {
 public:
  virtual ~MocStore() = default;

  // --- Tenants ---
  // moc::Errc::kAlreadyExists when the id is taken.
  virtual Status CreateTenant(const Tenant& tenant) = 0;
  virtual Result<std::optional<Tenant>> FindTenant(std::string_view tenant_id) const = 0;
  virtual Result<std::vector<Tenant>> ListTenants() const = 0;

  // --- Packages ---
  // moc::Errc::kAlreadyExists when the id is taken (packages are immutable).
  virtual Status CreatePackage(const Package& package) = 0;
  virtual Result<std::optional<Package>> FindPackage(std::string_view package_id) const = 0;
  virtual Result<std::vector<Package>> ListPackages(std::string_view tenant_id) const = 0;
  // The tenant's packages of `kind` whose envelope has SHA-256 `digest`, oldest id first: a
  // user about to upload bytes the M/OC already holds reuses that package instead.
  virtual Result<std::vector<PackageSummary>> FindPackagesByDigest(std::string_view tenant_id,
                                                                   PackageKind kind,
                                                                   ByteView digest) const = 0;

  // --- Devices ---
  // Inserts or replaces what the device offers, keeping the slots the M/OC counted as used
  // and the operator's override (SetCapacityOverride).
  virtual Status PutDeviceCapacity(const DeviceCapacity& device) = 0;
  // Sets the operator's override of the device's capacity (DeviceCapacity::slot_limit,
  // withheld_types), leaving everything else. moc::Errc::kNoSuitableDevice when unknown.
  // Written apart from PutDeviceCapacity so an appraisal and the operator, on two replicas,
  // never overwrite each other's part.
  virtual Status SetCapacityOverride(std::string_view device_id, std::optional<uint32_t> slot_limit,
                                     const std::vector<InstanceType>& withheld_types) = 0;
  virtual Result<std::optional<DeviceCapacity>> FindDevice(std::string_view device_id) const = 0;
  virtual Result<std::vector<DeviceCapacity>> ListDevices() const = 0;

  // --- Requests ---
  virtual Result<std::optional<Request>> FindRequest(std::string_view request_id) const = 0;
  virtual Result<std::vector<Request>> ListRequests(std::string_view tenant_id) const = 0;
  // Requests that are neither done nor failed, or still have actions in their outbox.
  virtual Result<std::vector<Request>> ListInFlightRequests() const = 0;
  // Whether ListInFlightRequests would list anything. The M/OC's request loop asks this on
  // every wake (each TEEP step the TAM commits) and skips its pass when nothing is in flight;
  // a store overrides it when it can answer without reading the requests.
  virtual Result<bool> AnyRequestInFlight() const {
    TEEPNET_ASSIGN_OR_RETURN(std::vector<Request> in_flight, ListInFlightRequests());
    return !in_flight.empty();
  }

  // The record of a tenant's Idempotency-Key, if the tenant used it.
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotencyKey(
      std::string_view tenant_id, std::string_view key) const = 0;

  // --- Relay queue ---
  virtual Result<std::vector<RelayBlob>> PendingRelay(std::string_view device_id) const = 0;

  // --- Audit ---
  virtual Result<std::vector<AuditEntry>> RecentAudit(size_t max_entries) const = 0;

  // --- One step ---
  virtual Status Commit(const MocTransaction& txn) = 0;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_MOC_STORE_H_
