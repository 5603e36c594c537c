// Where installed components and manifests live. The processor never writes directly: it
// stages every change and hands the store one StoreTransaction when the whole manifest has
// succeeded, so a failed manifest leaves nothing behind (draft-ietf-suit-manifest-37 §6.5:
// the update is applied only when every condition has passed).
#ifndef TEEPNET_SUIT_COMPONENT_STORE_H_
#define TEEPNET_SUIT_COMPONENT_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/component_id.h"

namespace teepnet::suit {

// What the store remembers about an installed manifest.
struct ManifestRecord {
  // manifest-component-id (trust-domains-11 §6.2), or for manifests without one an id
  // derived from their component list (see ManifestKeyFor in processor.h).
  ComponentId manifest_id;
  uint64_t sequence_number = 0;
  Bytes envelope;  // the authenticated envelope, kept to run its uninstall sequence later
  Bytes digest;    // encoded SUIT_Digest of the manifest (TEEP tc-list / reports)
};

struct StoreTransaction {
  std::map<ComponentId, Bytes> writes;
  std::set<ComponentId> removals;
  std::vector<ManifestRecord> installed_manifests;
  std::set<ComponentId> removed_manifests;

  bool empty() const {
    return writes.empty() && removals.empty() && installed_manifests.empty() &&
           removed_manifests.empty();
  }
};

class ComponentStore {
 public:
  virtual ~ComponentStore() = default;
  // The component's content, or nullopt when it has none.
  virtual std::optional<Bytes> ReadComponent(const ComponentId& id) const = 0;
  virtual std::optional<ManifestRecord> FindManifest(const ComponentId& manifest_id) const = 0;
  // Applies every change in `txn` or none of them (kOperationFailed).
  virtual Status Commit(const StoreTransaction& txn) = 0;
};

// A store in memory, for tests, tools and the simulated TEE.
class InMemoryComponentStore final : public ComponentStore {
 public:
  std::optional<Bytes> ReadComponent(const ComponentId& id) const override;
  std::optional<ManifestRecord> FindManifest(const ComponentId& manifest_id) const override;
  Status Commit(const StoreTransaction& txn) override;

  // Direct access for setting up a device and inspecting it in tests.
  void Put(const ComponentId& id, Bytes content) { components_[id] = std::move(content); }
  const std::map<ComponentId, Bytes>& components() const { return components_; }
  const std::map<ComponentId, ManifestRecord>& manifests() const { return manifests_; }
  size_t commits() const { return commits_; }

 private:
  std::map<ComponentId, Bytes> components_;
  std::map<ComponentId, ManifestRecord> manifests_;
  size_t commits_ = 0;
};

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_COMPONENT_STORE_H_
