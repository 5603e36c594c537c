#include "teepnet/moc/in_memory_moc_store.h"

#include <algorithm>

#include "teepnet/moc/errc.h"

namespace teepnet::moc {

namespace {

template <typename Map>
auto FindIn(const Map& map, std::string_view key) -> std::optional<typename Map::mapped_type> {
  auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

}  // namespace

Status InMemoryMocStore::CreateTenant(const Tenant& tenant) {
  std::lock_guard lock(mu_);
  if (!state_.tenants.emplace(tenant.id, tenant).second) {
    return Error(Errc::kAlreadyExists, "tenant " + tenant.id + " exists");
  }
  return OkStatus();
}

Result<std::optional<Tenant>> InMemoryMocStore::FindTenant(std::string_view tenant_id) const {
  std::lock_guard lock(mu_);
  return FindIn(state_.tenants, tenant_id);
}

Result<std::vector<Tenant>> InMemoryMocStore::ListTenants() const {
  std::lock_guard lock(mu_);
  std::vector<Tenant> out;
  for (const auto& [id, tenant] : state_.tenants) out.push_back(tenant);
  return out;
}

Status InMemoryMocStore::CreatePackage(const Package& package) {
  std::lock_guard lock(mu_);
  if (!state_.packages.emplace(package.id, package).second) {
    return Error(Errc::kAlreadyExists, "package " + package.id + " exists");
  }
  return OkStatus();
}

Result<std::optional<Package>> InMemoryMocStore::FindPackage(std::string_view package_id) const {
  std::lock_guard lock(mu_);
  return FindIn(state_.packages, package_id);
}

Result<std::vector<Package>> InMemoryMocStore::ListPackages(std::string_view tenant_id) const {
  std::lock_guard lock(mu_);
  std::vector<Package> out;
  for (const auto& [id, package] : state_.packages) {
    if (package.tenant_id == tenant_id) out.push_back(package);
  }
  return out;
}

Result<std::vector<PackageSummary>> InMemoryMocStore::FindPackagesByDigest(
    std::string_view tenant_id, PackageKind kind, ByteView digest) const {
  std::lock_guard lock(mu_);
  std::vector<PackageSummary> out;
  for (const auto& [id, package] : state_.packages) {
    if (package.tenant_id == tenant_id && package.kind == kind && Equal(package.digest, digest)) {
      out.push_back(Summarize(package));
    }
  }
  return out;
}

Status InMemoryMocStore::PutDeviceCapacity(const DeviceCapacity& device) {
  std::lock_guard lock(mu_);
  DeviceCapacity& slot = state_.devices[device.device_id];
  const bool known = !slot.device_id.empty();
  const uint32_t used = known ? slot.slots_used : device.slots_used;
  std::optional<uint32_t> limit = known ? slot.slot_limit : device.slot_limit;
  std::vector<InstanceType> withheld = known ? slot.withheld_types : device.withheld_types;
  slot = device;
  slot.slots_used = used;
  slot.slot_limit = limit;
  slot.withheld_types = std::move(withheld);
  return OkStatus();
}

Status InMemoryMocStore::SetCapacityOverride(std::string_view device_id,
                                             std::optional<uint32_t> slot_limit,
                                             const std::vector<InstanceType>& withheld_types) {
  std::lock_guard lock(mu_);
  auto it = state_.devices.find(std::string(device_id));
  if (it == state_.devices.end()) {
    return Error(Errc::kNoSuitableDevice, "device " + std::string(device_id) + " is not known");
  }
  it->second.slot_limit = slot_limit;
  it->second.withheld_types = withheld_types;
  return OkStatus();
}

Result<std::optional<DeviceCapacity>> InMemoryMocStore::FindDevice(
    std::string_view device_id) const {
  std::lock_guard lock(mu_);
  return FindIn(state_.devices, device_id);
}

Result<std::vector<DeviceCapacity>> InMemoryMocStore::ListDevices() const {
  std::lock_guard lock(mu_);
  std::vector<DeviceCapacity> out;
  for (const auto& [id, device] : state_.devices) out.push_back(device);
  return out;
}

Result<std::optional<Request>> InMemoryMocStore::FindRequest(std::string_view request_id) const {
  std::lock_guard lock(mu_);
  return FindIn(state_.requests, request_id);
}

Result<std::vector<Request>> InMemoryMocStore::ListRequests(std::string_view tenant_id) const {
  std::lock_guard lock(mu_);
  std::vector<Request> out;
  for (const auto& [id, request] : state_.requests) {
    if (request.tenant_id == tenant_id) out.push_back(request);
  }
  return out;
}

Result<std::vector<Request>> InMemoryMocStore::ListInFlightRequests() const {
  std::lock_guard lock(mu_);
  std::vector<Request> out;
  for (const auto& [id, request] : state_.requests) {
    if (!IsTerminal(request.state) || !request.outbox.empty()) out.push_back(request);
  }
  return out;
}

Result<std::optional<IdempotencyRecord>> InMemoryMocStore::FindIdempotencyKey(
    std::string_view tenant_id, std::string_view key) const {
  std::lock_guard lock(mu_);
  auto it = state_.idempotency.find({std::string(tenant_id), std::string(key)});
  if (it == state_.idempotency.end()) return std::optional<IdempotencyRecord>();
  return std::optional<IdempotencyRecord>(it->second);
}

Result<std::vector<RelayBlob>> InMemoryMocStore::PendingRelay(std::string_view device_id) const {
  std::lock_guard lock(mu_);
  std::vector<RelayBlob> out;
  for (const RelayBlob& blob : state_.relay) {
    if (blob.device_id == device_id) out.push_back(blob);
  }
  return out;
}

Result<std::vector<AuditEntry>> InMemoryMocStore::RecentAudit(size_t max_entries) const {
  std::lock_guard lock(mu_);
  const size_t n = std::min(max_entries, state_.audit.size());
  return std::vector<AuditEntry>(state_.audit.end() - static_cast<std::ptrdiff_t>(n),
                                 state_.audit.end());
}

Status InMemoryMocStore::Commit(const MocTransaction& txn) {
  std::lock_guard lock(mu_);
  if (fail_commits_ > 0) {
    --fail_commits_;
    return Error(Errc::kStoreFailure, "the store is unavailable (injected)");
  }
  // Check everything first, so a refusal changes nothing.
  if (txn.idempotency &&
      state_.idempotency.contains({txn.idempotency->tenant_id, txn.idempotency->key})) {
    return Error(Errc::kIdempotencyKeyReused,
                 "tenant " + txn.idempotency->tenant_id + " already used this Idempotency-Key");
  }
  if (txn.request) {
    auto it = state_.requests.find(txn.request->id);
    const uint64_t stored = it == state_.requests.end() ? 0 : it->second.version;
    if (txn.request->version != stored + 1) {
      return Error(Errc::kConcurrentUpdate, "request " + txn.request->id + " is at version " +
                                                std::to_string(stored) + ", not " +
                                                std::to_string(txn.request->version - 1));
    }
  }
  if (txn.reserve_slot) {
    auto it = state_.devices.find(*txn.reserve_slot);
    if (it == state_.devices.end()) {
      return Error(Errc::kNoSuitableDevice, "device " + *txn.reserve_slot + " is not known");
    }
    if (it->second.slots_free() == 0) {
      return Error(Errc::kNoCapacity, "device " + *txn.reserve_slot + " has no free slot");
    }
  }
  if (txn.release_slot && state_.devices.find(*txn.release_slot) == state_.devices.end()) {
    return Error(Errc::kNoSuitableDevice, "device " + *txn.release_slot + " is not known");
  }
  if (txn.idempotency) {
    state_.idempotency.emplace(std::pair(txn.idempotency->tenant_id, txn.idempotency->key),
                               *txn.idempotency);
  }
  if (txn.request) state_.requests[txn.request->id] = *txn.request;
  if (txn.reserve_slot) ++state_.devices.find(*txn.reserve_slot)->second.slots_used;
  if (txn.release_slot) {
    DeviceCapacity& device = state_.devices.find(*txn.release_slot)->second;
    if (device.slots_used > 0) --device.slots_used;
  }
  if (txn.enqueue) state_.relay.push_back(*txn.enqueue);
  if (txn.dequeue) {
    std::erase_if(state_.relay,
                  [&](const RelayBlob& blob) { return blob.request_id == *txn.dequeue; });
  }
  state_.audit.insert(state_.audit.end(), txn.audit.begin(), txn.audit.end());
  ++state_.commits;
  return OkStatus();
}

InMemoryMocStore::State InMemoryMocStore::Snapshot() const {
  std::lock_guard lock(mu_);
  return state_;
}

void InMemoryMocStore::FailNextCommits(size_t count) {
  std::lock_guard lock(mu_);
  fail_commits_ = count;
}

}  // namespace teepnet::moc
